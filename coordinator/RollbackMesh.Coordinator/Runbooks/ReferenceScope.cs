using System.Collections.Frozen;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>Which <c>${...}</c> names are valid where, for the validator.</summary>
internal sealed class ReferenceScope(Runbook runbook)
{
    private readonly FrozenSet<string> _parameters = runbook.Parameters.Select(p => p.Name).ToFrozenSet(StringComparer.Ordinal);

    public void CheckTexts(IEnumerable<string> texts, SourcePosition position, string context, bool allowNode, bool allowTarget, RunbookErrorSink errors)
    {
        foreach (var text in texts)
        {
            foreach (var (name, malformed) in ParameterReferences.Find(text))
            {
                if (malformed)
                {
                    errors.Add(position, $"malformed reference '{name}' in {context}");
                }
                else if (!IsKnown(ParameterReferences.StripFilter(name).Name, allowNode, allowTarget))
                {
                    errors.Add(position, $"unknown reference '${{{name}}}' in {context}{Hint(name, allowNode, allowTarget)}");
                }
            }
        }
    }

    /// <summary>A condition is <c>${param}</c> or <c>!${param}</c> naming a declared parameter.</summary>
    public void CheckCondition(string? condition, SourcePosition position, string context, RunbookErrorSink errors)
    {
        if (condition is null)
        {
            return;
        }

        var body = condition.StartsWith('!') ? condition[1..] : condition;
        if (!ParameterReferences.IsWholeReference(body, out var name))
        {
            errors.Add(position, $"bad condition '{condition}' in {context} (expected ${{param}} or !${{param}})");
        }
        else if (!_parameters.Contains(name))
        {
            errors.Add(position, $"unknown parameter '{name}' in the condition of {context}");
        }
    }

    /// <summary>Every node name the registry lists (comma-separated), for the coverage preflight.</summary>
    public const string FleetNamesReference = "fleet.names";

    private bool IsKnown(string name, bool allowNode, bool allowTarget) =>
        _parameters.Contains(name)
        || name == "first_server.name"
        || name == FleetNamesReference
        || (allowNode && IsNodeFact(name, "node"))
        || (allowTarget && IsNodeFact(name, "target"));

    private static bool IsNodeFact(string name, string prefix) =>
        name == $"{prefix}.name" || (name.StartsWith($"{prefix}.labels.", StringComparison.Ordinal) && name.Length > prefix.Length + 8);

    private static string Hint(string name, bool allowNode, bool allowTarget) =>
        name.StartsWith("target.", StringComparison.Ordinal) && !allowTarget ? " (target.* is only available in for_each steps)"
        : name.StartsWith("node.", StringComparison.Ordinal) && !allowNode ? " (node facts are not available here)"
        : " (declare it under parameters, or use node.name, node.labels.KEY, first_server.name, fleet.names)";
}
