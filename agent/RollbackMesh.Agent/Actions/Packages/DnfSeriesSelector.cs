namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// Picks a package's version for a series as the Calico CentOS downgrade documents it: the repository file is switched
/// to calico-SERIES and `yum downgrade` takes what THAT repository offers — calico-control 1:1.1.2 and
/// networking-calico 1:1.4.3 come from calico-2.6 but do not start with 2.6. The repositories whose id or baseurl
/// carries calico-SERIES (from `dnf -v repolist`) are the series' repositories; among their rows the highest
/// epoch:version-release (rpm ordering) wins. Without such a row the versions starting with the series are used
/// instead, and the choice says so.
/// </summary>
internal static class DnfSeriesSelector
{
    /// <summary>The ids of the repositories in `dnf -v repolist` output whose id or baseurl carries calico-<paramref name="series"/>.</summary>
    public static IReadOnlySet<string> SeriesRepoIds(string repolist, string series)
    {
        var marker = "calico-" + series;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? id = null;
        string? key = null;
        foreach (var raw in repolist.Split('\n'))
        {
            var colon = raw.IndexOf(" : ", StringComparison.Ordinal);
            if (colon < 0)
            {
                key = null;
                continue;
            }

            var name = raw[..colon].Trim();

            // dnf wraps long values onto lines whose key is blank or "...".
            key = name is "" or "..." ? key : name;
            var value = raw[(colon + 3)..].Trim();
            if (key == "Repo-id")
            {
                id = name == "Repo-id" ? value : id + value;
            }

            if (id is not null && key is "Repo-id" or "Repo-baseurl" && MadisonSelector.CarriesMarker(value, marker))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>The rows of <paramref name="output"/>; lines that are not "name epoch:version-release repoid" are skipped.</summary>
    public static IReadOnlyList<DnfPackageRow> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cols => cols.Length == 3)
            .Select(cols => (cols, colon: cols[1].IndexOf(':', StringComparison.Ordinal), dash: cols[1].LastIndexOf('-')))
            .Where(r => r.colon > 0 && r.dash > r.colon + 1 && long.TryParse(r.cols[1][..r.colon], out _))
            .Select(r => new DnfPackageRow(r.cols[0], long.Parse(r.cols[1][..r.colon], System.Globalization.CultureInfo.InvariantCulture),
                r.cols[1][(r.colon + 1)..r.dash], r.cols[1][(r.dash + 1)..], r.cols[2]))
            .Where(r => PackageNames.IsValidVersion(r.Evr))
            .ToArray();

    /// <summary>The version ("V-R" or "E:V-R") of <paramref name="package"/> to install for <paramref name="series"/>.</summary>
    /// <exception cref="ActionFailedException">No row of the package qualifies; the message shows the package's rows.</exception>
    public static SeriesVersion Select(IReadOnlyList<DnfPackageRow> rows, IReadOnlySet<string> seriesRepoIds, string package, string series)
    {
        var mine = rows.Where(r => r.Package == package && r.RepoId != "@System").ToArray();
        var marker = "calico-" + series;
        var fromSeriesRepo = mine.Where(r => seriesRepoIds.Contains(r.RepoId)).ToArray();
        if (fromSeriesRepo.Length > 0)
        {
            return new SeriesVersion(Highest(fromSeriesRepo));
        }

        var byPrefix = mine.Where(r => PackageNames.InSeries(r.Version, series)).ToArray();
        if (byPrefix.Length > 0)
        {
            return new SeriesVersion(Highest(byPrefix),
                $"{package}: no dnf repository with {marker} in its id or baseurl offers it; chose the highest version starting with {series}");
        }

        var shown = mine.Length > 0 ? string.Join("; ", mine.Select(r => r.ToString())) : "dnf repoquery lists no version";
        throw new ActionFailedException(
            $"no {series} version of {package} in the repositories: none from a repository with {marker} in its id or baseurl and no version starting with {series} ({shown})");
    }

    private static string Highest(IEnumerable<DnfPackageRow> rows) =>
        rows.OrderByDescending(r => r.Epoch)
            .ThenByDescending(r => r.Version, RpmVersionComparer.Instance)
            .ThenByDescending(r => r.Release, RpmVersionComparer.Instance)
            .First().Evr;
}
