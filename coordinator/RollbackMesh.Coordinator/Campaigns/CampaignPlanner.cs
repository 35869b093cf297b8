using System.Collections.Immutable;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Campaigns;

/// <summary>
/// Compiles a campaign: resolves its clusters (names in the order given, or every cluster by name; then the selector),
/// checks the options against them, plans each cluster with the ordinary cluster-scoped planner and assigns waves: the
/// first <c>canary</c> clusters are wave 0, the rest waves 1, 2, ... of at most <c>parallel</c> clusters. Bad input is
/// <see cref="OperatorException"/> InvalidArgument listing every problem; a cluster the runbook cannot be planned on is
/// FailedPrecondition naming each such cluster.
/// </summary>
internal static class CampaignPlanner
{
    /// <param name="fleet">The enrolled (not removed) nodes; their clusters are the ones a campaign may name.</param>
    public static async Task<CampaignPlan> PlanAsync(
        IPlanSource plans, IReadOnlyCollection<PlanningNode> fleet, string runbook, IReadOnlyDictionary<string, string> parameters,
        CampaignOptions options, CancellationToken ct)
    {
        var clusters = Resolve(fleet, options);
        var planned = new List<CampaignClusterPlan>(clusters.Length);
        var unplannable = new List<string>();
        for (var i = 0; i < clusters.Length; i++)
        {
            Plan plan;
            try
            {
                plan = await plans.CreatePlanAsync(runbook, parameters, clusters[i], ct).ConfigureAwait(false);
            }
            catch (OperatorException ex) when (ex.Code == OperatorErrorCode.FailedPrecondition)
            {
                // Every cluster is tried, so the operator sees all that need fixing at once.
                unplannable.Add($"cluster {clusters[i]}: {ex.Message}");
                continue;
            }

            var canary = i < options.Canary;
            planned.Add(new CampaignClusterPlan(clusters[i], canary ? 0 : 1 + ((i - options.Canary) / options.Parallel), canary, plan));
        }

        if (unplannable.Count > 0)
        {
            throw new OperatorException(OperatorErrorCode.FailedPrecondition,
                $"The campaign cannot be planned on {unplannable.Count} of {clusters.Length} cluster(s):\n" + string.Join("\n", unplannable.Select(p => " - " + p)));
        }

        var first = planned[0].Plan;
        var resolved = options with { Clusters = clusters };
        var hash = CampaignHasher.Compute(runbook, first.Parameters, first.SecretParameters, resolved, planned.Select(c => (c.Cluster, c.Plan.Hash)));
        return new CampaignPlan(runbook, first.Parameters, first.SecretParameters, resolved, [.. planned], hash);
    }

    /// <summary>The campaign's clusters in campaign order.</summary>
    /// <exception cref="OperatorException">InvalidArgument listing every problem with the clusters or options.</exception>
    public static ImmutableArray<string> Resolve(IReadOnlyCollection<PlanningNode> fleet, CampaignOptions options)
    {
        var problems = new List<string>();
        var known = fleet.Select(n => n.Cluster).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var knownText = known.Count == 0 ? "none" : string.Join(", ", known);
        var asked = options.Clusters.Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
        List<string> clusters;
        if (asked.Count == 0)
        {
            problems.Add($"no cluster named: pass --clusters NAME,NAME... or --clusters all (known clusters: {knownText})");
            clusters = [];
        }
        else if (asked.Contains(CampaignOptions.AllClusters, StringComparer.Ordinal))
        {
            if (asked.Count > 1)
            {
                problems.Add($"--clusters all cannot be combined with cluster names ({string.Join(", ", asked.Where(c => c != CampaignOptions.AllClusters))})");
            }

            clusters = known;
        }
        else
        {
            clusters = asked;
            foreach (var unknown in asked.Where(c => !known.Contains(c, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal))
            {
                problems.Add($"no node is in cluster '{unknown}' (known clusters: {knownText})");
            }

            foreach (var twice in asked.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                problems.Add($"cluster '{twice.Key}' is named {twice.Count()} times");
            }
        }

        if (options.Selector.Length > 0)
        {
            var equals = options.Selector.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"selector '{options.Selector}' is not key=value (a label from agent.yaml labels)");
            }
            else
            {
                var (key, value) = (options.Selector[..equals], options.Selector[(equals + 1)..]);
                var matching = fleet.Where(n => n.Labels.TryGetValue(key, out var v) && v == value).Select(n => n.Cluster).ToHashSet(StringComparer.Ordinal);
                var before = clusters.Count;
                clusters = [.. clusters.Where(matching.Contains)];
                if (before > 0 && clusters.Count == 0)
                {
                    problems.Add($"no chosen cluster has a node labelled {options.Selector}");
                }
            }
        }

        if (options.Parallel < 1)
        {
            problems.Add($"parallel must be at least 1 (got {options.Parallel})");
        }

        if (options.FailureBudget < 1)
        {
            problems.Add($"failure budget must be at least 1: the line stops when that many clusters have failed (got {options.FailureBudget})");
        }

        if (options.Canary < 0)
        {
            problems.Add($"canary must not be negative (got {options.Canary})");
        }
        else if (clusters.Count > 0 && options.Canary > clusters.Count)
        {
            problems.Add($"canary {options.Canary} is more than the campaign's {clusters.Count} cluster(s) ({string.Join(", ", clusters)})");
        }

        return problems.Count > 0
            ? throw new OperatorException(OperatorErrorCode.InvalidArgument, "The campaign was not planned: " + string.Join("; ", problems) + ".")
            : [.. clusters];
    }
}
