using System.Collections.Immutable;
using RollbackMesh.Coordinator.Runbooks.Yaml;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// Turns a parsed runbook document into the <see cref="Runbook"/> model, reporting structural problems (unknown
/// keys, wrong value shapes, bad durations and selectors) with their positions. Semantic checks are
/// <see cref="RunbookValidator"/>'s.
/// </summary>
internal static partial class RunbookReader
{
    private static readonly string[] RootKeys =
        ["name", "version", "procedure", "description", "parameters", "first_server_parameter", "preflight", "phases", "unmapped", "notes"];

    private static readonly string[] ParameterKeys = ["type", "required", "default", "pattern", "description", "secret"];

    private static readonly string[] UnmappedKeys = ["step", "reason"];

    public static Runbook? Read(DocNode? root, string sourceName, bool builtIn, RunbookErrorSink errors)
    {
        if (root is not DocMapping mapping)
        {
            errors.Add(root?.Position ?? new SourcePosition(1, 1), "a runbook must be a YAML mapping");
            return null;
        }

        var map = new MappingReader(mapping, "the runbook", RootKeys, errors);
        return new Runbook(
            map.String("name", required: true) ?? "",
            map.String("version", required: true) ?? "",
            map.String("procedure", required: true) ?? "",
            map.String("description") ?? "",
            ReadParameters(map.Mapping("parameters"), errors),
            map.String("first_server_parameter"),
            [.. map.List("preflight").Select((n, i) => ReadStep(n, $"preflight step {i + 1}", preflight: true, errors)).OfType<RunbookStep>()],
            [.. map.List("phases").Select((n, i) => ReadPhase(n, i + 1, errors)).OfType<RunbookPhase>()],
            [.. map.List("unmapped").Select(n => ReadUnmapped(n, errors)).OfType<UnmappedStep>()],
            [.. map.List("notes").Select(n => ReadText(n, "a note", errors)).OfType<string>()],
            sourceName,
            builtIn);
    }

    private static ImmutableArray<RunbookParameter> ReadParameters(DocMapping? parameters, RunbookErrorSink errors)
    {
        if (parameters is null)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<RunbookParameter>();
        foreach (var (key, value) in parameters.Entries)
        {
            if (result.Any(p => p.Name == key.Value))
            {
                errors.Add(key.Position, $"duplicate parameter '{key.Value}'");
                continue;
            }

            if (value is not DocMapping definition)
            {
                errors.Add(value.Position, $"parameter '{key.Value}' must be a mapping with at least 'type'");
                continue;
            }

            var map = new MappingReader(definition, $"parameter '{key.Value}'", ParameterKeys, errors);
            var typeText = map.String("type", required: true);
            var type = ParameterType.String;
            if (typeText is not null && !Enum.TryParse(typeText, ignoreCase: true, out type))
            {
                errors.Add(map.PositionOf("type"), $"parameter '{key.Value}' has unknown type '{typeText}' (expected string, int, bool, path or version)");
            }

            result.Add(new RunbookParameter(
                key.Value, type, map.Bool("required", false), map.String("default"), map.String("pattern"),
                map.String("description") ?? "", key.Position) { Secret = map.Bool("secret", false) });
        }

        return result.ToImmutable();
    }

    private static UnmappedStep? ReadUnmapped(DocNode node, RunbookErrorSink errors)
    {
        if (node is not DocMapping mapping)
        {
            errors.Add(node.Position, "an unmapped entry must be a mapping with 'step' and 'reason'");
            return null;
        }

        var map = new MappingReader(mapping, "an unmapped entry", UnmappedKeys, errors);
        var step = map.String("step", required: true);
        var reason = map.String("reason", required: true);
        return step is null || reason is null ? null : new UnmappedStep(step, reason, mapping.Position);
    }

    private static string? ReadText(DocNode node, string what, RunbookErrorSink errors)
    {
        if (node is DocScalar scalar)
        {
            return scalar.Value;
        }

        errors.Add(node.Position, $"{what} must be text, not {node.Describe}");
        return null;
    }
}
