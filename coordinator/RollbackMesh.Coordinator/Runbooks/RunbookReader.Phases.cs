using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks.Yaml;

namespace RollbackMesh.Coordinator.Runbooks;

internal static partial class RunbookReader
{
    private static readonly string[] PhaseKeys =
        ["name", "nodes", "mode", "max_concurrency", "failure_budget", "allow_empty", "when", "description", "steps", "gate"];

    private static readonly string[] StepKeys =
        ["name", "action", "args", "timeout", "irreversible", "approval", "for_each", "only", "when", "source"];

    private static readonly string[] PreflightKeys = ["name", "action", "args", "timeout", "on", "when", "source"];

    private static readonly string[] GateKeys = ["timeout", "checks"];

    private static readonly string[] GateCheckKeys = ["check", "unit", "component", "pattern", "stable_for"];

    /// <summary>Used when a gate omits its timeout.</summary>
    private static readonly TimeSpan DefaultGateTimeout = TimeSpan.FromMinutes(10);

    private static RunbookPhase? ReadPhase(DocNode node, int number, RunbookErrorSink errors)
    {
        if (node is not DocMapping mapping)
        {
            errors.Add(node.Position, $"phase {number} must be a mapping");
            return null;
        }

        var map = new MappingReader(mapping, $"phase {number}", PhaseKeys, errors);
        var name = map.String("name", required: true) ?? $"phase-{number}";
        var context = $"phase '{name}'";
        var modeText = map.String("mode") ?? "serial";
        var mode = modeText switch
        {
            "serial" => PhaseMode.Serial,
            "parallel" => PhaseMode.Parallel,
            _ => Invalid(errors, map.PositionOf("mode"), $"bad mode '{modeText}' in {context} (expected serial or parallel)", PhaseMode.Serial),
        };
        var maxConcurrency = map.Int("max_concurrency", mode == PhaseMode.Serial ? 1 : int.MaxValue, minimum: 1);
        if (mode == PhaseMode.Serial && maxConcurrency != 1)
        {
            errors.Add(map.PositionOf("max_concurrency"), $"{context} is serial, so max_concurrency must be 1 (or omitted)");
        }

        return new RunbookPhase(
            name,
            map.Selector("nodes", required: true) ?? NodeSelector.All,
            mode,
            maxConcurrency,
            map.Int("failure_budget", 0, minimum: 0),
            map.Bool("allow_empty", false),
            map.String("when"),
            [.. map.List("steps").Select((n, i) => ReadStep(n, $"step {i + 1} of {context}", preflight: false, errors)).OfType<RunbookStep>()],
            ReadGate(map.Mapping("gate"), context, errors),
            mapping.Position,
            map.PositionOf("nodes"));
    }

    private static RunbookStep? ReadStep(DocNode node, string context, bool preflight, RunbookErrorSink errors)
    {
        if (node is not DocMapping mapping)
        {
            errors.Add(node.Position, $"{context} must be a mapping");
            return null;
        }

        var map = new MappingReader(mapping, context, preflight ? PreflightKeys : StepKeys, errors);
        var approval = map.String("approval") ?? "none";
        if (approval is not ("required" or "none"))
        {
            errors.Add(map.PositionOf("approval"), $"bad approval '{approval}' in {context} (expected required or none)");
        }

        return new RunbookStep(
            map.String("name", required: true) ?? "",
            map.String("action", required: true) ?? "",
            ReadArguments(map.Mapping("args"), context, errors),
            map.Duration("timeout"),
            map.Bool("irreversible", false),
            approval == "required",
            preflight ? null : map.Selector("for_each", required: false),
            preflight ? null : map.Selector("only", required: false),
            preflight ? map.Selector("on", required: true) : null,
            map.String("when"),
            map.String("source") ?? "",
            mapping.Position,
            map.PositionOf("action"));
    }

    private static ImmutableSortedDictionary<string, ArgumentValue> ReadArguments(DocMapping? args, string context, RunbookErrorSink errors)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, ArgumentValue>(StringComparer.Ordinal);
        foreach (var (key, value) in args?.Entries ?? [])
        {
            ArgumentValue? argument = value switch
            {
                DocScalar scalar => ArgumentValue.FromScalar(scalar.Value, scalar.Position),
                DocSequence list when list.Items.All(i => i is DocScalar) =>
                    ArgumentValue.FromList([.. list.Items.Cast<DocScalar>().Select(s => s.Value)], list.Position),
                DocMapping map when map.Entries.All(e => e.Value is DocScalar) && map.Entries.DistinctBy(e => e.Key.Value).Count() == map.Entries.Length =>
                    ArgumentValue.FromMap(map.Entries.ToImmutableSortedDictionary(e => e.Key.Value, e => ((DocScalar)e.Value).Value, StringComparer.Ordinal), map.Position),
                _ => null,
            };
            if (argument is null)
            {
                errors.Add(value.Position, $"argument '{key.Value}' of {context} must be a scalar, a list of scalars or a mapping of distinct scalar keys");
            }
            else if (!result.TryAdd(key.Value, argument))
            {
                errors.Add(key.Position, $"duplicate argument '{key.Value}' in {context}");
            }
        }

        return result.ToImmutable();
    }

    private static RunbookGate? ReadGate(DocMapping? gate, string context, RunbookErrorSink errors)
    {
        if (gate is null)
        {
            return null;
        }

        var map = new MappingReader(gate, $"the gate of {context}", GateKeys, errors);
        var checks = ImmutableArray.CreateBuilder<RunbookGateCheck>();
        foreach (var node in map.List("checks"))
        {
            if (node is not DocMapping checkMapping)
            {
                errors.Add(node.Position, $"a gate check of {context} must be a mapping with 'check'");
                continue;
            }

            var check = new MappingReader(checkMapping, $"a gate check of {context}", GateCheckKeys, errors);
            var kind = check.String("check", required: true);
            RunbookGateCheck? parsed = kind switch
            {
                null => null,
                "nodes_healthy" => new(GateCheckKind.NodesHealthy, "", "", checkMapping.Position),
                "unit_active" => new(GateCheckKind.UnitActive, check.String("unit", required: true) ?? "",
                    check.Duration("stable_for") is { } settle ? UnitSettling.Format(settle) : "", checkMapping.Position),
                "version_matches" => new(GateCheckKind.VersionMatches, check.String("component", required: true) ?? "",
                    check.String("pattern", required: true) ?? "", checkMapping.Position),
                _ => Invalid<RunbookGateCheck?>(errors, check.PositionOf("check"),
                    $"unknown gate check '{kind}' in {context} (expected nodes_healthy, unit_active or version_matches)", null),
            };
            if (parsed is not null)
            {
                checks.Add(parsed);
            }
        }

        return new RunbookGate(checks.ToImmutable(), map.Duration("timeout") ?? DefaultGateTimeout, gate.Position);
    }

    private static T Invalid<T>(RunbookErrorSink errors, SourcePosition position, string message, T fallback)
    {
        errors.Add(position, message);
        return fallback;
    }
}
