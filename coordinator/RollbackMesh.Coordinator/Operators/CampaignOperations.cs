using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Campaigns;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Operators;

/// <summary>
/// The Operator service's campaign rpcs, protobuf in and out, transport-free (as <see cref="OperatorService"/>).
/// Commands are audited with the caller's name whether they succeed (by the campaign, in the transaction of its
/// transition) or are refused (<c>WHAT_refused</c> with the reason); queries are not.
/// </summary>
internal sealed class CampaignOperations(FleetRegistry registry, IPlanSource plans, CampaignExecutor campaigns, RunExecutor runs, AuditLog audit)
{
    public Task<V1.CampaignPlanResponse> PlanAsync(V1.PlanCampaignRequest request, string caller, CancellationToken ct) =>
        AuditRefusalAsync(caller, "campaign.plan", "", async () =>
        {
            var plan = await CreateAsync(request.Runbook, request.Parameters, request.Options, ct).ConfigureAwait(false);
            await audit.RecordAsync(caller, "campaign.plan", "", $"runbook {plan.Runbook}, {plan.Clusters.Length} cluster(s), campaign {plan.Hash}").ConfigureAwait(false);
            return CampaignWireMapper.ToWire(plan);
        });

    /// <summary>Recomputes the campaign and starts it only if its hash is the one the operator reviewed.</summary>
    public Task<V1.CampaignStatus> StartAsync(V1.StartCampaignRequest request, string caller, CancellationToken ct) =>
        AuditRefusalAsync(caller, "campaign.start", "", async () =>
        {
            Require(request.CampaignHash, "campaign_hash");
            var plan = await CreateAsync(request.Runbook, request.Parameters, request.Options, ct).ConfigureAwait(false);
            if (!string.Equals(plan.Hash, request.CampaignHash, StringComparison.OrdinalIgnoreCase))
            {
                throw new OperatorException(OperatorErrorCode.FailedPrecondition,
                    $"The campaign changed since it was reviewed: reviewed hash {request.CampaignHash}, current hash {plan.Hash}. Run campaign plan again.");
            }

            return ToWire(await Call("", () => campaigns.StartAsync(plan, request.ApproveAfterCanary, caller)).ConfigureAwait(false));
        });

    public V1.CampaignStatus Get(V1.GetCampaignRequest request, string caller)
    {
        Require(request.CampaignId, "campaign_id");
        try
        {
            return ToWire(campaigns.Get(request.CampaignId));
        }
        catch (CampaignNotFoundException ex)
        {
            throw new OperatorException(OperatorErrorCode.NotFound, ex.Message);
        }
    }

    public async IAsyncEnumerable<V1.CampaignEvent> WatchAsync(V1.GetCampaignRequest request, string caller, [EnumeratorCancellation] CancellationToken ct)
    {
        _ = Get(request, caller);
        await foreach (var change in campaigns.WatchAsync(request.CampaignId, ct).ConfigureAwait(false))
        {
            yield return new V1.CampaignEvent
            {
                At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(change.At), Message = change.Message, Status = ToWire(change.Snapshot),
            };
        }
    }

    public Task<V1.CampaignStatus> ControlAsync(V1.CampaignControlRequest request, CampaignCommand command, string caller) =>
        AuditRefusalAsync(caller, "campaign." + command.ToString().ToLowerInvariant(), request.CampaignId, async () =>
        {
            Require(request.CampaignId, "campaign_id");
            return ToWire(await Call(request.CampaignId, () => campaigns.ControlAsync(request.CampaignId, command, caller, request.Reason)).ConfigureAwait(false));
        });

    private async Task<CampaignPlan> CreateAsync(string runbook, IReadOnlyDictionary<string, string> parameters, V1.CampaignOptions? options, CancellationToken ct)
    {
        Require(runbook, "runbook");
        var fleet = registry.List()
            .Where(n => !n.Removed)
            .Select(n => new PlanningNode(n.Name, n.Identity.Roles, n.Identity.Labels.ToImmutableDictionary(StringComparer.Ordinal), n.Identity.Cluster))
            .ToList();
        return await CampaignPlanner.PlanAsync(plans, fleet, runbook, parameters, CampaignWireMapper.FromWire(options), ct).ConfigureAwait(false);
    }

    private V1.CampaignStatus ToWire(CampaignSnapshot snapshot) => CampaignWireMapper.ToWire(snapshot, runId =>
    {
        try
        {
            return runs.Get(runId).Run;
        }
        catch (RunNotFoundException)
        {
            return null;
        }
    });

    private async Task<T> AuditRefusalAsync<T>(string caller, string what, string id, Func<Task<T>> command)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (OperatorException ex)
        {
            await audit.RecordAsync(caller, what + "_refused", id, $"{ex.Code}: {ex.Message}").ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<T> Call<T>(string id, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (CampaignNotFoundException ex)
        {
            throw new OperatorException(OperatorErrorCode.NotFound, ex.Message);
        }
        catch (RunStateException ex)
        {
            throw new OperatorException(OperatorErrorCode.FailedPrecondition, ex.Message);
        }
    }

    private static void Require(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new OperatorException(OperatorErrorCode.InvalidArgument, $"{field} is required.");
        }
    }
}
