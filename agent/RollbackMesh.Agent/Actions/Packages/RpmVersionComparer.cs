namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// Orders version strings segment by segment (digit runs numerically, letter runs lexically, "~" sorts before
/// anything), close to rpmvercmp; used only to pick the highest version of a series.
/// </summary>
internal sealed class RpmVersionComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly RpmVersionComparer Instance = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        x ??= string.Empty;
        y ??= string.Empty;
        int i = 0, j = 0;
        while (i < x.Length || j < y.Length)
        {
            var tx = i < x.Length && x[i] == '~';
            var ty = j < y.Length && y[j] == '~';
            if (tx || ty)
            {
                if (tx && ty)
                {
                    i++;
                    j++;
                    continue;
                }

                return tx ? -1 : 1;
            }

            while (i < x.Length && !char.IsAsciiLetterOrDigit(x[i]) && x[i] != '~')
            {
                i++;
            }

            while (j < y.Length && !char.IsAsciiLetterOrDigit(y[j]) && y[j] != '~')
            {
                j++;
            }

            if (i >= x.Length || j >= y.Length)
            {
                return (i < x.Length).CompareTo(j < y.Length);
            }

            var digits = char.IsAsciiDigit(x[i]);
            var sx = Segment(x, ref i, digits);
            var sy = Segment(y, ref j, digits);
            if (sy.Length == 0)
            {
                return digits ? 1 : -1;
            }

            var c = digits
                ? sx.TrimStart('0').Length != sy.TrimStart('0').Length
                    ? sx.TrimStart('0').Length.CompareTo(sy.TrimStart('0').Length)
                    : string.CompareOrdinal(sx.TrimStart('0'), sy.TrimStart('0'))
                : string.CompareOrdinal(sx, sy);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    private static string Segment(string s, ref int index, bool digits)
    {
        var start = index;
        while (index < s.Length && (digits ? char.IsAsciiDigit(s[index]) : char.IsAsciiLetter(s[index])))
        {
            index++;
        }

        return s[start..index];
    }
}
