using System.Collections.Immutable;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>
/// Plans from the loaded <see cref="RunbookCatalog"/> against the registry's current fleet. Unknown runbook: NotFound;
/// bad parameters or a fleet of several clusters without one named: InvalidArgument; an unknown cluster: NotFound; a
/// fleet the runbook cannot be planned on: FailedPrecondition.
/// </summary>
internal sealed class CatalogPlanSource(RunbookCatalog catalog, RunbookPlanner planner, FleetRegistry registry) : IPlanSource
{
    public Task<ImmutableArray<RunbookSummary>> ListRunbooksAsync(CancellationToken ct) =>
        Task.FromResult(catalog.All.Select(Summarise).ToImmutableArray());

    public Task<Plan> CreatePlanAsync(string runbook, IReadOnlyDictionary<string, string> parameters, string cluster, CancellationToken ct)
    {
        if (!catalog.TryGet(runbook, out var found))
        {
            throw new OperatorException(OperatorErrorCode.NotFound, $"No runbook named '{RunbookCatalog.Clip(runbook)}' (known: {catalog.KnownNames()}).");
        }

        // Parameters are checked on their own first so a typo is reported as bad input, not as a fleet problem.
        var problems = new List<string>();
        ParameterBinder.Bind(found, parameters, problems);
        if (problems.Count > 0)
        {
            throw new OperatorException(OperatorErrorCode.InvalidArgument, $"Bad parameters for runbook '{runbook}': {string.Join("; ", problems)}.");
        }

        var views = registry.List();
        var removed = views.Where(n => n.Removed).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var fleet = views
            .Select(n => new PlanningNode(n.Name, n.Identity.Roles, n.Identity.Labels.ToImmutableDictionary(StringComparer.Ordinal), n.Identity.Cluster))
            .ToList();
        ClusterScope scope;
        try
        {
            scope = ClusterScope.Choose(fleet, cluster, n => removed.Contains(n.Name));
        }
        catch (ClusterScopeException ex)
        {
            throw new OperatorException(ex.Problem == ClusterScopeProblem.Unknown ? OperatorErrorCode.NotFound : OperatorErrorCode.InvalidArgument, ex.Message);
        }

        try
        {
            return Task.FromResult(planner.CreatePlan(found, parameters, scope.Nodes, scope.Cluster));
        }
        catch (PlanningException ex)
        {
            throw new OperatorException(OperatorErrorCode.FailedPrecondition, ex.Message);
        }
    }

    private static RunbookSummary Summarise(Runbook runbook) => new(
        runbook.Name,
        runbook.Version,
        runbook.Procedure,
        runbook.Description,
        [.. runbook.Parameters.Select(p => new RunbookParameterSummary(
            p.Name, p.Type.ToString().ToLowerInvariant(), p.Required, p.Default ?? "", p.Description))],
        [.. runbook.Phases.Select(p => p.Name)]);
}
