using System.Collections.Immutable;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// Compiles a runbook, parameter values and a fleet snapshot into a <see cref="Plan"/>: every (phase, wave,
/// node, step) with its action filled in, preflight checks, stable step ids (<c>phase/node/step</c>, with
/// <c>@target</c> for <c>for_each</c> steps) and a content hash. It enforces the documented orderings whatever
/// the YAML says (<see cref="PlanInvariants"/>) and fails with every problem at once (<see cref="PlanningException"/>).
/// </summary>
internal sealed partial class RunbookPlanner
{
    /// <summary>Step timeout when the runbook gives none.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The <see cref="PlanStep.Phase"/> of preflight steps.</summary>
    public const string PreflightPhase = "preflight";

    /// <summary>
    /// Plans <paramref name="runbook"/> over <paramref name="fleet"/>, every node of which must be in
    /// <paramref name="cluster"/> (<see cref="ClusterScope"/> picks them): a plan covers exactly one cluster.
    /// </summary>
    /// <exception cref="PlanningException">Bad or missing parameters, missing roles or nodes, nodes of another cluster, or an ordering violation.</exception>
    public Plan CreatePlan(Runbook runbook, IReadOnlyDictionary<string, string> parameters, IReadOnlyCollection<PlanningNode> fleet, string cluster = "")
    {
        var problems = new List<string>();
        var strangers = fleet.Where(n => n.Cluster != cluster).Select(n => $"{n.Name} ({ClusterScope.Describe(n.Cluster)})").ToList();
        if (strangers.Count > 0)
        {
            problems.Add($"a plan covers one cluster, {ClusterScope.Describe(cluster)}, but the fleet given has nodes of others: {string.Join(", ", strangers)}");
        }

        // A runbook built in code (or edited after loading) gets the same checks a loaded one had.
        var errors = new RunbookErrorSink(runbook.SourceName);
        RunbookValidator.Validate(runbook, errors);
        problems.AddRange(errors.ToImmutable().Select(e => e.ToString()));
        if (problems.Count > 0)
        {
            throw new PlanningException(runbook.Name, [.. problems]);
        }

        var values = ParameterBinder.Bind(runbook, parameters, problems);
        var choice = runbook.FirstServerParameter is { } name ? values.GetValueOrDefault(name) : null;
        var fleetView = FleetView.Create(fleet, choice, problems);
        var context = new PlanningContext(values, fleetView, problems);

        var preflight = runbook.Preflight.SelectMany(step => PlanPreflight(step, context)).ToImmutableArray();
        var phases = runbook.Phases.Where(p => IsEnabled(p.When, values)).Select(p => PlanPhase(p, context)).ToImmutableArray();
        var plan = new Plan(runbook.Name, runbook.Version, runbook.Procedure, values, preflight, phases, Hash: "")
        {
            Cluster = cluster,
            SecretParameters = [.. runbook.Parameters.Where(p => p.Secret).Select(p => p.Name)],
        };
        if (problems.Count == 0)
        {
            problems.AddRange(PlanInvariants.Check(plan, fleetView));
        }

        return problems.Count > 0
            ? throw new PlanningException(runbook.Name, [.. problems.Distinct(StringComparer.Ordinal)])
            : plan with { Hash = PlanHasher.Compute(plan) };
    }

    private static IEnumerable<PlanStep> PlanPreflight(RunbookStep step, PlanningContext context)
    {
        if (!IsEnabled(step.When, context.Values))
        {
            return [];
        }

        var nodes = context.Fleet.Select(step.On!.Value, context.Problems);
        if (nodes.IsEmpty && !context.Fleet.FirstServerUnknown(step.On.Value))
        {
            context.Problems.Add($"preflight step '{step.Name}' runs on '{NodeSelectors.Format(step.On.Value)}' but the fleet has no such node");
        }

        return nodes.Select(node => CreateStep(step, PreflightPhase, node, target: null, context)).ToList();
    }

    private static bool IsEnabled(string? condition, ImmutableSortedDictionary<string, string> values)
    {
        if (condition is null)
        {
            return true;
        }

        var negated = condition.StartsWith('!');
        ParameterReferences.IsWholeReference(negated ? condition[1..] : condition, out var name);
        return ParameterValues.IsTruthy(values.GetValueOrDefault(name, "")) != negated;
    }
}
