using System.Globalization;
using Google.Protobuf.Reflection;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Runbooks;

internal static partial class RunbookValidator
{
    /// <summary>Checks a step's kind and arguments against the proto message of that kind.</summary>
    private static void Arguments(RunbookStep step, string context, RunbookErrorSink errors)
    {
        if (step.Kind.Length == 0)
        {
            return;
        }

        if (!ActionKinds.TryGet(step.Kind, out var kindField))
        {
            errors.Add(step.KindPosition, $"unknown action kind '{step.Kind}' in {context} (expected one of: {string.Join(", ", ActionKinds.Names)})");
            return;
        }

        var message = kindField.MessageType;
        foreach (var (name, value) in step.Arguments)
        {
            var field = message.FindFieldByName(name);
            if (field is null)
            {
                var known = string.Join(", ", message.Fields.InFieldNumberOrder().Select(f => f.Name));
                errors.Add(value.Position, $"unknown argument '{name}' for action '{step.Kind}' in {context} (expected: {(known.Length == 0 ? "none" : known)})");
                continue;
            }

            if (ShapeProblem(field, value) is { } problem)
            {
                errors.Add(value.Position, $"argument '{name}' of {context}: {problem}");
            }
        }

        foreach (var required in ActionKinds.Required(step.Kind).Where(r => !step.Arguments.ContainsKey(r)))
        {
            errors.Add(step.KindPosition, $"missing required argument '{required}' for action '{step.Kind}' in {context}");
        }

        WaitFitsStepTimeout(step, context, errors);
    }

    // A wait's own timeout (timeout_seconds: wait_node_ready, kubectl_wait) must end before the step's deadline, so the
    // step fails with the tool's "timed out waiting" rather than being cut off by the coordinator without a reason.
    private static void WaitFitsStepTimeout(RunbookStep step, string context, RunbookErrorSink errors)
    {
        var stepTimeout = step.Timeout ?? RunbookPlanner.DefaultStepTimeout;
        if (step.Arguments.TryGetValue("timeout_seconds", out var value) && value.Scalar is { } text
            && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && TimeSpan.FromSeconds(seconds) >= stepTimeout)
        {
            errors.Add(value.Position,
                $"argument 'timeout_seconds' of {context}: {seconds} s is not shorter than the step's timeout {Durations.Format(stepTimeout)}; the wait would be cut off without its own error");
        }
    }

    private static string? ShapeProblem(FieldDescriptor field, ArgumentValue value)
    {
        if (field.IsMap)
        {
            return value.Map is null ? "must be a mapping of strings" : null;
        }

        if (value.Map is not null)
        {
            return "must not be a mapping";
        }

        if (field.IsRepeated)
        {
            return null;
        }

        if (value.Scalar is null)
        {
            return "must be a single value, not a list";
        }

        // A value with references is checked at planning time, once the references are resolved.
        return value.Scalar.Contains("${", StringComparison.Ordinal)
            ? null
            : ArgumentConversion.TryConvert(field, value.Scalar, out _);
    }
}
