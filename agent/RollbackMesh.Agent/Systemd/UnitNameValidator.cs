namespace RollbackMesh.Agent.Systemd;

/// <summary>
/// Checks unit names against systemd's rules before they reach the bus: at most 255 characters of
/// [A-Za-z0-9:_.\-\\], an optional single '@' with a non-empty instance, and a known unit type suffix.
/// </summary>
internal static class UnitNameValidator
{
    private const int MaxLength = 255;

    private static readonly string[] KnownSuffixes =
    [
        ".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer", ".slice", ".scope",
    ];

    /// <summary>Why <paramref name="unit"/> is not a usable unit name, or null if it is.</summary>
    public static string? Validate(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return "a unit name is required";
        }

        if (unit.Length > MaxLength)
        {
            return $"'{unit[..32]}...' is longer than {MaxLength} characters";
        }

        var suffix = KnownSuffixes.FirstOrDefault(s => unit.EndsWith(s, StringComparison.Ordinal));
        if (suffix is null)
        {
            return $"'{unit}' does not end in a known unit type ({string.Join(", ", KnownSuffixes)})";
        }

        var stem = unit[..^suffix.Length];
        foreach (var c in stem)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not (':' or '_' or '.' or '-' or '\\' or '@'))
            {
                return $"'{unit}' contains '{c}', which systemd does not allow in unit names";
            }
        }

        var at = stem.IndexOf('@', StringComparison.Ordinal);
        if (at == 0 || stem.Length == 0)
        {
            return $"'{unit}' has an empty name before the suffix";
        }

        if (at > 0 && (at == stem.Length - 1 || stem.IndexOf('@', at + 1) >= 0))
        {
            return $"'{unit}' must have exactly one '@' followed by a non-empty instance";
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem.</summary>
    public static void ThrowIfInvalid(string unit, string parameterName = "unit")
    {
        if (Validate(unit) is { } problem)
        {
            throw new ArgumentException($"Invalid systemd unit name: {problem}.", parameterName);
        }
    }
}
