using System.Globalization;
using System.Text.RegularExpressions;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>Durations as runbooks write them: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c> (units in descending order).</summary>
internal static partial class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return false;
        }

        duration = TimeSpan.FromHours(Part(match, "h")) + TimeSpan.FromMinutes(Part(match, "m"))
            + TimeSpan.FromSeconds(Part(match, "s")) + TimeSpan.FromMilliseconds(Part(match, "ms"));
        return duration > TimeSpan.Zero;
    }

    /// <summary>The shortest spelling that <see cref="TryParse"/> reads back to the same value.</summary>
    public static string Format(TimeSpan duration)
    {
        var text = string.Concat(
            duration.Days * 24 + duration.Hours > 0 ? $"{(duration.Days * 24) + duration.Hours}h" : "",
            duration.Minutes > 0 ? $"{duration.Minutes}m" : "",
            duration.Seconds > 0 ? $"{duration.Seconds}s" : "",
            duration.Milliseconds > 0 ? $"{duration.Milliseconds}ms" : "");
        return text.Length == 0 ? "0s" : text;
    }

    private static int Part(Match match, string unit) =>
        match.Groups[unit].Success ? int.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,5})m(?!s))?(?:(?<s>\d{1,6})s)?(?:(?<ms>\d{1,7})ms)?$")]
    private static partial Regex DurationPattern();
}
