using System.Text.RegularExpressions;

namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>The strict shapes a package name, version or series must have before it reaches a command line.</summary>
internal static partial class PackageNames
{
    /// <summary>Debian/RPM package names: letters, digits, "+", ".", "_", "-"; starts alphanumeric.</summary>
    public static bool IsValidName(string name) => NameRegex().IsMatch(name);

    /// <summary>Versions (epoch, upstream, revision, "~").</summary>
    public static bool IsValidVersion(string version) => VersionRegex().IsMatch(version);

    /// <summary>
    /// Parses a pin as the Calico documents write it, "name=[epoch:]version[-release]" (calico-control=1:1.1.2,
    /// calico-common=2.6.5~trusty). The epoch, when given, is digits; the version is otherwise <see cref="IsValidVersion"/>.
    /// </summary>
    /// <returns>null when well formed; else what is wrong.</returns>
    public static string? ParsePin(string pin, out string name, out string version)
    {
        var equals = pin.IndexOf('=', StringComparison.Ordinal);
        name = equals > 0 ? pin[..equals] : pin;
        version = equals > 0 ? pin[(equals + 1)..] : string.Empty;
        if (equals <= 0 || version.Length == 0)
        {
            return $"pin '{pin}' is not name=[epoch:]version (e.g. calico-control=1:1.1.2)";
        }

        if (!IsValidName(name))
        {
            return $"pin '{pin}': '{name}' is not a valid package name";
        }

        var colon = version.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && (colon == 0 || !version[..colon].All(char.IsAsciiDigit) || version.IndexOf(':', colon + 1) >= 0))
        {
            return $"pin '{pin}': the epoch before ':' must be digits (e.g. 1:1.1.2)";
        }

        return IsValidVersion(version) && IsValidVersion(version[(colon + 1)..])
            ? null
            : $"pin '{pin}': '{version}' is not a valid version";
    }

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
