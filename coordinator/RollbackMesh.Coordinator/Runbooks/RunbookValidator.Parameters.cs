using System.Text.RegularExpressions;

namespace RollbackMesh.Coordinator.Runbooks;

internal static partial class RunbookValidator
{
    private static void ValidateParameters(Runbook runbook, RunbookErrorSink errors)
    {
        foreach (var parameter in runbook.Parameters)
        {
            if (!ParameterNamePattern().IsMatch(parameter.Name) || parameter.Name is "node" or "target" or "first_server")
            {
                errors.Add(parameter.Position, $"parameter name '{parameter.Name}' must match [a-z][a-z0-9_]* and not be node, target or first_server");
            }

            if (parameter.Pattern is { } pattern && !ParameterValues.TryCompile(pattern, out _))
            {
                errors.Add(parameter.Position, $"parameter '{parameter.Name}' has an invalid pattern: {pattern}");
            }

            if (parameter.Required && parameter.Default is not null)
            {
                errors.Add(parameter.Position, $"parameter '{parameter.Name}' is required, so it cannot have a default");
            }

            if (parameter.Secret && parameter.Default is { Length: > 0 })
            {
                errors.Add(parameter.Position, $"parameter '{parameter.Name}' is secret, so it cannot have a default (it would be in the runbook file)");
            }

            if (parameter.Default is { } value && ParameterValues.Problem(parameter, value) is { } problem)
            {
                errors.Add(parameter.Position, $"bad default: {problem}");
            }
        }

        if (runbook.FirstServerParameter is { } name)
        {
            var parameter = runbook.Parameters.FirstOrDefault(p => p.Name == name);
            if (parameter is null || parameter.Type != ParameterType.String)
            {
                errors.Add(new SourcePosition(1, 1), $"first_server_parameter '{name}' must name a declared string parameter");
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex ParameterNamePattern();
}
