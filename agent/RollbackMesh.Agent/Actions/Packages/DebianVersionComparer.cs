namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// Orders Debian versions ([epoch:]upstream[-revision]) the way dpkg --compare-versions does (Debian Policy 5.6.12):
/// the epoch numerically, then upstream and revision alternating non-digit runs (letters before other characters,
/// "~" before everything, even the end) and numeric runs. apt-cache madison output is ordered by apt, but the
/// candidates we keep come from several repositories and must be ranked by these rules, not as strings.
/// </summary>
internal sealed class DebianVersionComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly DebianVersionComparer Instance = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var (epochX, upstreamX, revisionX) = Split(x);
        var (epochY, upstreamY, revisionY) = Split(y);
        var byEpoch = epochX.CompareTo(epochY);
        if (byEpoch != 0)
        {
            return byEpoch;
        }

        var byUpstream = CompareParts(upstreamX, upstreamY);
        return byUpstream != 0 ? byUpstream : CompareParts(revisionX, revisionY);
    }

    private static (long Epoch, string Upstream, string Revision) Split(string version)
    {
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        var epoch = colon > 0 && long.TryParse(version.AsSpan(0, colon), out var e) ? e : 0;
        var rest = colon >= 0 ? version[(colon + 1)..] : version;

        // The revision is after the LAST hyphen; upstream may itself contain hyphens.
        var hyphen = rest.LastIndexOf('-');
        return hyphen >= 0 ? (epoch, rest[..hyphen], rest[(hyphen + 1)..]) : (epoch, rest, string.Empty);
    }

    private static int CompareParts(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            // Non-digit run: compared character by character with dpkg's weights.
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var wa = Weight(a, i);
                var wb = Weight(b, j);
                if (wa != wb)
                {
                    return wa < wb ? -1 : 1;
                }

                i++;
                j++;
            }

            // Numeric run: compared as numbers (leading zeros ignored), an absent run counts as 0.
            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            var firstDiff = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0)
                {
                    firstDiff = a[i].CompareTo(b[j]);
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDiff != 0)
            {
                return firstDiff < 0 ? -1 : 1;
            }
        }

        return 0;
    }

    /// <summary>"~" sorts before the end of the string, the end before letters, letters before other characters; a digit ends the run.</summary>
    private static int Weight(string s, int index)
    {
        if (index >= s.Length || char.IsAsciiDigit(s[index]))
        {
            return 0;
        }

        var c = s[index];
        return c == '~' ? -1 : char.IsAsciiLetter(c) ? c : c + 256;
    }
}
