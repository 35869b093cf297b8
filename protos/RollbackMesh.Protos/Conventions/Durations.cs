using System.Globalization;

namespace RollbackMesh.Protos.Conventions;

/// <summary>
/// Durations as configuration files and runbooks write them: units in descending order, each at most once
/// (<c>1h30m</c>, <c>90s</c>, <c>500ms</c>, <c>1.5s</c>), or a TimeSpan with colons (<c>00:00:10</c>). Parsed by hand,
/// not with a regular expression, so the idle agent loads no regex code for it.
/// </summary>
public static class Durations
{
    private static readonly (string Suffix, double Milliseconds)[] Units =
        [("h", 3_600_000), ("ms", 1), ("m", 60_000), ("s", 1000)]; // "ms" before "m": the longer suffix wins

    private static readonly string[] Order = ["h", "m", "s", "ms"];

    /// <summary>
    /// Parses <paramref name="text"/>; false when it is not a non-negative duration in one of the forms above. Callers
    /// that need a positive value (a timeout) check that themselves.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        }

        return TryParseUnits(trimmed, out duration);
    }

    /// <summary>The shortest spelling in units that <see cref="TryParse"/> reads back to the same value (whole milliseconds).</summary>
    public static string Format(TimeSpan duration)
    {
        var hours = (duration.Days * 24) + duration.Hours;
        var text = string.Concat(
            hours > 0 ? $"{hours.ToString(CultureInfo.InvariantCulture)}h" : "",
            duration.Minutes > 0 ? $"{duration.Minutes.ToString(CultureInfo.InvariantCulture)}m" : "",
            duration.Seconds > 0 ? $"{duration.Seconds.ToString(CultureInfo.InvariantCulture)}s" : "",
            duration.Milliseconds > 0 ? $"{duration.Milliseconds.ToString(CultureInfo.InvariantCulture)}ms" : "");
        return text.Length == 0 ? "0s" : text;
    }

    private static bool TryParseUnits(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var position = 0;
        var lastUnit = -1;
        var milliseconds = 0.0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }

            if (position == start || !double.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowDecimalPoint,
                    CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var unit = Array.FindIndex(Units, u => text.AsSpan(position).StartsWith(u.Suffix, StringComparison.Ordinal));
            if (unit < 0)
            {
                return false;
            }

            var (suffix, scale) = Units[unit];
            var rank = Array.IndexOf(Order, suffix);
            if (rank <= lastUnit)
            {
                return false; // "30m1h" or "5s5s": units descend, each once
            }

            lastUnit = rank;
            position += suffix.Length;
            milliseconds += amount * scale;
        }

        if (lastUnit < 0 || milliseconds > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }
}
