using System.Globalization;
using System.Text.RegularExpressions;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>Checks a parameter value against its type and pattern; used for defaults and for supplied values.</summary>
internal static partial class ParameterValues
{
    /// <summary>What is wrong with <paramref name="value"/> for <paramref name="parameter"/>, or null if it fits.</summary>
    public static string? Problem(RunbookParameter parameter, string value)
    {
        var typeProblem = parameter.Type switch
        {
            ParameterType.Int when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) =>
                "is not an integer",
            ParameterType.Bool when value is not ("true" or "false") => "is not true or false",
            ParameterType.Path when !value.StartsWith('/') || value.Split('/').Contains("..") =>
                "is not an absolute path without '..'",
            ParameterType.Version when !VersionPattern().IsMatch(value) =>
                "is not a version (e.g. v1.28.5+k3s1, 2.6, v2.6.13)",
            _ => null,
        };
        var shown = parameter.Secret ? "the secret value" : $"'{value}'";
        if (typeProblem is not null)
        {
            return $"parameter '{parameter.Name}' ({parameter.Type.ToString().ToLowerInvariant()}): {shown} {typeProblem}";
        }

        if (parameter.Pattern is { } pattern && TryCompile(pattern, out var regex) && !regex.IsMatch(value))
        {
            return $"parameter '{parameter.Name}': {shown} does not match the pattern {pattern}";
        }

        return null;
    }

    /// <summary>
    /// Compiles a runbook-supplied pattern anchored at both ends, with a match timeout: parameter patterns and
    /// version_matches gates accept a whole value only (`v1\.29\.4\+k3s1` refuses v1.29.4+k3s10). The pattern is
    /// parsed alone first, so one like `a)|(b` is refused instead of becoming `^(?:a)|(b)$`, half unanchored.
    /// </summary>
    public static bool TryCompile(string pattern, out Regex regex)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            regex = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            regex = VersionPattern();
            return false;
        }
    }

    /// <summary>Truthiness for <c>when:</c> conditions: true, a non-empty string, a non-zero integer.</summary>
    public static bool IsTruthy(string value) => value is not ("" or "false" or "0");

    [GeneratedRegex(@"^v?\d+(\.\d+){0,3}([-+~][0-9A-Za-z.+~-]+)?$")]
    private static partial Regex VersionPattern();
}
