using System.Collections;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Protos.Actions;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// Fills an <see cref="V1.Action"/> from a step's kind and arguments, resolving <c>${...}</c> references.
/// Map entries are added in key order so the serialised bytes (and so the plan hash) are deterministic.
/// </summary>
internal static class ActionBuilder
{
    public static V1.Action Build(RunbookStep step, Func<string, string?> resolve, string context, List<string> problems)
    {
        var action = ActionCatalog.Create(step.Kind, out var message);
        foreach (var (name, argument) in step.Arguments)
        {
            var field = message.Descriptor.FindFieldByName(name);
            var where = $"argument '{name}' of {context}";
            if (field.IsMap)
            {
                var map = (IDictionary)field.Accessor.GetValue(message);
                foreach (var (key, value) in argument.Map!)
                {
                    map[Resolve(key, resolve, where, problems)] = Resolve(value, resolve, where, problems);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                var items = argument.Scalar is { } scalar
                    ? ArgumentConversion.SplitList(Resolve(scalar, resolve, where, problems))
                    : argument.Items.Select(i => Resolve(i, resolve, where, problems));
                foreach (var item in items)
                {
                    if (Convert(field, item, where, problems) is { } value)
                    {
                        list.Add(value);
                    }
                }
            }
            else
            {
                if (Convert(field, Resolve(argument.Scalar!, resolve, where, problems), where, problems) is { } value)
                {
                    field.Accessor.SetValue(message, value);
                }
            }
        }

        return action;
    }

    /// <summary>Resolves references in <paramref name="text"/>, reporting names that have no value.</summary>
    public static string Resolve(string text, Func<string, string?> resolve, string where, List<string> problems)
    {
        var unresolved = new List<string>();
        var result = ParameterReferences.Substitute(text, resolve, unresolved);
        foreach (var name in unresolved)
        {
            problems.Add($"{where}: '${{{name}}}' has no value here");
        }

        return result;
    }

    private static object? Convert(Google.Protobuf.Reflection.FieldDescriptor field, string text, string where, List<string> problems)
    {
        if (ArgumentConversion.TryConvert(field, text, out var value) is { } problem)
        {
            problems.Add($"{where}: {problem}");
            return null;
        }

        return value;
    }
}
