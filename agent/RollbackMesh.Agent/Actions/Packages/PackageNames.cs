using System.Text.RegularExpressions;

namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>The strict shapes a package name, version or series must have before it reaches a command line.</summary>
internal static partial class PackageNames
{
    /// <summary>Debian/RPM package names: letters, digits, "+", ".", "_", "-"; starts alphanumeric.</summary>
    public static bool IsValidName(string name) => NameRegex().IsMatch(name);

    /// <summary>Versions (epoch, upstream, revision, "~").</summary>
    public static bool IsValidVersion(string version) => VersionRegex().IsMatch(version);

    /// <summary>A series such as "2.6".</summary>
    public static bool IsValidSeries(string series) => SeriesRegex().IsMatch(series);

    /// <summary>True when <paramref name="version"/> belongs to <paramref name="series"/> (2.6.5~trusty is in 2.6).</summary>
    public static bool InSeries(string version, string series)
    {
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        var upstream = colon >= 0 ? version[(colon + 1)..] : version;
        return upstream == series || (upstream.StartsWith(series, StringComparison.Ordinal)
            && upstream.Length > series.Length && upstream[series.Length] is '.' or '-' or '~' or '+');
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+~:_-]{0,127}$")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"^\d+(\.\d+){0,3}$")]
    private static partial Regex SeriesRegex();
}
