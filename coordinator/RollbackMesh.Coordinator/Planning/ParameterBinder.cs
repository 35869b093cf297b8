using System.Collections.Immutable;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>Checks supplied parameter values against the runbook's declarations and fills in defaults.</summary>
internal static class ParameterBinder
{
    /// <summary>
    /// Every declared parameter with its value (supplied, else default, else empty for an optional one).
    /// Unknown names, missing required values, wrong types and pattern mismatches are added to <paramref name="problems"/>.
    /// </summary>
    public static ImmutableSortedDictionary<string, string> Bind(
        Runbook runbook, IReadOnlyDictionary<string, string> supplied, List<string> problems)
    {
        foreach (var name in supplied.Keys.Where(n => runbook.Parameters.All(p => p.Name != n)).Order(StringComparer.Ordinal))
        {
            var known = string.Join(", ", runbook.Parameters.Select(p => p.Name));
            problems.Add($"unknown parameter '{name}' (runbook '{runbook.Name}' takes: {(known.Length == 0 ? "none" : known)})");
        }

        var values = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var parameter in runbook.Parameters)
        {
            if (supplied.TryGetValue(parameter.Name, out var value))
            {
                if (ParameterValues.Problem(parameter, value) is { } problem)
                {
                    problems.Add(problem);
                }
            }
            else if (parameter.Required)
            {
                var description = parameter.Description.Length > 0 ? $": {parameter.Description}" : "";
                problems.Add($"missing required parameter '{parameter.Name}' ({parameter.Type.ToString().ToLowerInvariant()}){description}");
            }

            values[parameter.Name] = value ?? parameter.Default ?? "";
        }

        return values.ToImmutable();
    }
}
