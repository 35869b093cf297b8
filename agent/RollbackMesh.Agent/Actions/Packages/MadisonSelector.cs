namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// Picks a package's version for a series from `apt-cache madison` output as the Calico Ubuntu downgrade documents it:
/// `apt-cache madison ... | grep calico-2.6` matches the REPOSITORY column (the calico-2.6 PPA), not the version —
/// calico-control=1:1.1.2 and python-etcd=0.4.3+calico.1-1 come from that PPA but do not start with 2.6. Among the
/// rows from the series' repository the highest version (dpkg ordering) wins. When no row of the package comes from a
/// repository named calico-SERIES (a flat mirror, the test repositories) the versions starting with the series are
/// used instead, and the choice says so.
/// </summary>
internal static class MadisonSelector
{
    /// <summary>The rows of <paramref name="output"/>; lines that are not "package | version | source" are skipped.</summary>
    public static IReadOnlyList<MadisonLine> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cols => cols.Length == 3 && cols.All(c => c.Length > 0))
            .Select(cols => new MadisonLine(cols[0], cols[1], cols[2]))
            .ToArray();

    /// <summary>The version of <paramref name="package"/> to install for <paramref name="series"/> (e.g. "2.6").</summary>
    /// <exception cref="ActionFailedException">No row of the package qualifies; the message shows the package's rows.</exception>
    public static SeriesVersion Select(IReadOnlyList<MadisonLine> lines, string package, string series)
    {
        // Source-package rows ("... Sources") name a source, not the binary we install.
        var mine = lines.Where(l => l.Package == package && !l.Source.EndsWith(" Sources", StringComparison.Ordinal)).ToArray();
        var marker = "calico-" + series;
        var fromSeriesRepo = mine.Where(l => CarriesMarker(l.Source, marker)).ToArray();
        if (fromSeriesRepo.Length > 0)
        {
            return new SeriesVersion(Highest(fromSeriesRepo));
        }

        var byPrefix = mine.Where(l => PackageNames.InSeries(l.Version, series)).ToArray();
        if (byPrefix.Length > 0)
        {
            return new SeriesVersion(Highest(byPrefix),
                $"{package}: no apt-cache madison row from a {marker} repository; chose the highest version starting with {series}");
        }

        var shown = mine.Length > 0 ? string.Join("; ", mine.Select(l => l.ToString())) : "apt-cache madison lists no version";
        throw new ActionFailedException(
            $"no {series} version of {package} in the repositories: no row from a {marker} repository and no version starting with {series} ({shown})");
    }

    private static string Highest(IEnumerable<MadisonLine> lines) =>
        lines.Select(l => l.Version).Max(DebianVersionComparer.Instance)!;

    /// <summary>grep's substring match, except that "calico-2.6" does not also claim a "calico-2.60" repository.</summary>
    internal static bool CarriesMarker(string source, string marker)
    {
        for (var at = source.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = source.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            var end = at + marker.Length;
            if (end == source.Length || !char.IsAsciiDigit(source[end]))
            {
                return true;
            }
        }

        return false;
    }
}
