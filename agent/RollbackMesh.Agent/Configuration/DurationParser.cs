using System.Globalization;

namespace RollbackMesh.Agent.Configuration;

/// <summary>Parses durations written as "500ms", "10s", "5m", "1h" or a TimeSpan ("00:00:10").</summary>
internal static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a non-negative duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        (string suffix, double scaleMs)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, scaleMs) in units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(trimmed[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number >= 0)
            {
                value = TimeSpan.FromMilliseconds(number * scaleMs);
                return true;
            }
        }

        if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            value = span;
            return true;
        }

        return false;
    }
}
