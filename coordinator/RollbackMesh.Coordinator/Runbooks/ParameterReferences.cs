using System.Text.RegularExpressions;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// <c>${...}</c> references inside runbook text: a parameter name, or a node fact (<c>node.name</c>,
/// <c>node.labels.KEY</c>; in <c>for_each</c> steps also <c>target.name</c>, <c>target.labels.KEY</c>;
/// anywhere <c>first_server.name</c> and <c>fleet.names</c>, every enrolled node's name, comma-separated). A <c>:regex</c> suffix (<c>${k3s_version:regex}</c>) escapes the value for
/// use inside a regular expression, e.g. a version check's expected pattern.
/// </summary>
internal static partial class ParameterReferences
{
    /// <summary>The names referenced in <paramref name="text"/>, with unclosed or empty references as errors.</summary>
    public static IEnumerable<(string Name, bool Malformed)> Find(string text)
    {
        var index = 0;
        while ((index = text.IndexOf("${", index, StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOf('}', index + 2);
            if (end < 0)
            {
                yield return (text[index..], true);
                yield break;
            }

            var name = text[(index + 2)..end];
            yield return (name, !NamePattern().IsMatch(name));
            index = end + 1;
        }
    }

    /// <summary>Splits <c>name:regex</c> into the name and whether the value must be regex-escaped.</summary>
    public static (string Name, bool Escape) StripFilter(string reference) =>
        reference.EndsWith(RegexFilter, StringComparison.Ordinal) ? (reference[..^RegexFilter.Length], true) : (reference, false);

    private const string RegexFilter = ":regex";

    /// <summary>Replaces every reference using <paramref name="resolve"/> (which returns null for unknown names).</summary>
    public static string Substitute(string text, Func<string, string?> resolve, ICollection<string> unresolved) =>
        ReferencePattern().Replace(text, m =>
        {
            var value = resolve(m.Groups[1].Value);
            if (value is null)
            {
                unresolved.Add(m.Groups[1].Value);
                return m.Value;
            }

            return value;
        });

    /// <summary>True when <paramref name="text"/> is exactly one reference, e.g. <c>${revision}</c>.</summary>
    public static bool IsWholeReference(string text, out string name)
    {
        var match = ReferencePattern().Match(text);
        name = match.Success ? match.Groups[1].Value : "";
        return match.Success && match.Index == 0 && match.Length == text.Length;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_./-]+)*(:regex)?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex ReferencePattern();
}
