using System.Globalization;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Operators;

/// <summary>
/// The Operator service's logic, one method per rpc, protobuf in and out, transport-free: the endpoint passes the
/// authenticated caller's name and maps <see cref="OperatorException"/> codes to gRPC status codes. Commands
/// (Plan, StartRun, Pause, Resume, Abort, Approve) are audited with the caller's name whether they succeed or are
/// refused (a refusal as <c>WHAT_refused</c> with the reason); queries are not.
/// </summary>
internal sealed class OperatorService(FleetRegistry registry, IPlanSource plans, RunExecutor executor, AuditLog audit, ExecutorOptions options)
{
    /// <summary>How much of an audit detail too large for a page is shown (operator-supplied reasons can be megabytes).</summary>
    private const int MaxClippedDetail = 64 * 1024;

    /// <summary>A page of the fleet by node name (<see cref="ReplyPages"/>).</summary>
    public V1.ListNodesResponse ListNodes(V1.ListNodesRequest request, string caller)
    {
        var (nodes, next) = ReplyPages.Take(registry.List().Select(FleetWireMapper.ToWire), n => n.Name, request.PageSize, request.PageToken, ShrinkNode);
        var response = new V1.ListNodesResponse { NextPageToken = next };
        response.Nodes.Add(nodes);
        return response;
    }

    /// <summary>A page of the runbooks by name (<see cref="ReplyPages"/>).</summary>
    public async Task<V1.ListRunbooksResponse> ListRunbooksAsync(V1.ListRunbooksRequest request, string caller, CancellationToken ct)
    {
        var runbooks = await plans.ListRunbooksAsync(ct).ConfigureAwait(false);
        var (page, next) = ReplyPages.Take(runbooks.Select(ToWire), r => r.Name, request.PageSize, request.PageToken, ShrinkRunbook);
        var response = new V1.ListRunbooksResponse { NextPageToken = next };
        response.Runbooks.Add(page);
        return response;
    }

    /// <summary>
    /// Compiles the plan and judges it as StartRun will (<see cref="PreflightVerdict"/>): with <c>with_dry_run</c> every
    /// connected agent dry-runs its steps (<see cref="RunExecutor.ReviewAsync"/>), and the plan is ok only if every
    /// step was accepted; without, only the nodes are checked. The plan's preflight steps are listed (they run at
    /// StartRun). Changes nothing on any node and records no run.
    /// </summary>
    public Task<V1.PlanResponse> PlanAsync(V1.PlanRequest request, string caller, CancellationToken ct) =>
        AuditRefusalAsync(caller, "plan", "", () => PlanCoreAsync(request, caller, ct));

    /// <summary>
    /// Recomputes the plan and starts it only if its hash is the one the operator reviewed and its preflight verdict,
    /// taken again with fresh dry runs, is ok (else FailedPrecondition listing node, step and reason).
    /// </summary>
    public Task<V1.RunStatus> StartRunAsync(V1.StartRunRequest request, string caller, CancellationToken ct) =>
        AuditRefusalAsync(caller, "run.start", "", () => StartRunCoreAsync(request, caller, ct));

    private async Task<V1.PlanResponse> PlanCoreAsync(V1.PlanRequest request, string caller, CancellationToken ct)
    {
        Require(request.Runbook, "runbook");
        var plan = await plans.CreatePlanAsync(request.Runbook, request.Parameters, request.Cluster, ct).ConfigureAwait(false);
        var response = OperatorWireMapper.ToWire(plan);
        response.ClusterInferred = request.Cluster.Length == 0;
        PreflightVerdict verdict;
        if (request.WithDryRun)
        {
            (var dryRuns, verdict) = await executor.ReviewAsync(plan, ct).ConfigureAwait(false);
            foreach (var step in response.Phases.SelectMany(p => p.Waves).SelectMany(w => w.Nodes).SelectMany(n => n.Steps))
            {
                step.DryRun = plan.Redact(dryRuns.GetValueOrDefault(step.StepId, DryRunDispatcher.NotConnectedAnswer).Description);
            }
        }
        else
        {
            verdict = PreflightVerdict.Of(plan, registry, options, dryRuns: null);
        }

        response.Preflight.Add(verdict.Ok
            ? [request.WithDryRun
                ? "every targeted node is connected, healthy and has quarantine space, and its agent accepted every step"
                : "every targeted node is connected, healthy and has quarantine space (steps not dry-run: apply dry-runs them first)"]
            : verdict.Problems.Select(plan.Redact));
        response.Preflight.Add(plan.Preflight.Select(s => $"{s.Node}: will check {s.Name} before anything changes"));
        var busy = executor.ClusterBusyReason(plan.Cluster);
        if (busy is not null)
        {
            response.Preflight.Add(busy + " Apply refuses until then.");
        }

        response.PreflightOk = verdict.Ok && busy is null;
        await audit.RecordAsync(caller, "plan", "", $"runbook {plan.Runbook}, cluster {ClusterScope.Describe(plan.Cluster)}, plan {plan.Hash}").ConfigureAwait(false);
        return response;
    }

    private async Task<V1.RunStatus> StartRunCoreAsync(V1.StartRunRequest request, string caller, CancellationToken ct)
    {
        Require(request.Runbook, "runbook");
        Require(request.PlanHash, "plan_hash");
        var plan = await plans.CreatePlanAsync(request.Runbook, request.Parameters, request.Cluster, ct).ConfigureAwait(false);
        if (!string.Equals(plan.Hash, request.PlanHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new OperatorException(OperatorErrorCode.FailedPrecondition,
                $"The plan changed since it was reviewed: reviewed hash {request.PlanHash}, current hash {plan.Hash}. Run plan again.");
        }

        // Checked before the dry runs so a busy cluster is refused at once; the executor checks again as it records the run.
        if (executor.ClusterBusyReason(plan.Cluster) is { } busy)
        {
            throw new OperatorException(OperatorErrorCode.FailedPrecondition, busy + " No run was started.");
        }

        // The same verdict `plan` showed, taken again now: no run is recorded, and nothing changes, unless every
        // targeted node passes and every agent accepted every one of its steps.
        var (_, verdict) = await executor.ReviewAsync(plan, ct).ConfigureAwait(false);
        if (!verdict.Ok)
        {
            throw new OperatorException(OperatorErrorCode.FailedPrecondition,
                "Preflight refused the plan; no run was started and nothing changed:\n" + string.Join("\n", verdict.Problems.Select(p => " - " + plan.Redact(p))));
        }

        return OperatorWireMapper.ToWire(await Call("", () => executor.StartAsync(plan, caller)).ConfigureAwait(false));
    }

    /// <summary>
    /// A page of the stored runs by id (<see cref="ReplyPages"/>; ids sort by start time), only those of
    /// <c>cluster</c> and in <c>state</c> when given.
    /// </summary>
    public V1.ListRunsResponse ListRuns(V1.ListRunsRequest request, string caller)
    {
        if (request.State != V1.RunState.Unspecified && !Enum.IsDefined((RunState)(int)request.State))
        {
            throw new OperatorException(OperatorErrorCode.InvalidArgument, $"state {(int)request.State} is not a run state.");
        }

        var runs = executor.List(
            request.Cluster.Length == 0 ? null : request.Cluster,
            request.State == V1.RunState.Unspecified ? null : (RunState)(int)request.State);
        var (page, next) = ReplyPages.Take(runs.Select(OperatorWireMapper.ToListEntry), r => r.Id, request.PageSize, request.PageToken, ShrinkRun);
        var response = new V1.ListRunsResponse { NextPageToken = next };
        response.Runs.Add(page);
        return response;
    }

    public V1.RunStatus GetRun(V1.GetRunRequest request, string caller) =>
        OperatorWireMapper.ToWire(Call(request.RunId, () => executor.Get(request.RunId)));

    public async IAsyncEnumerable<V1.RunEvent> WatchRunAsync(V1.GetRunRequest request, string caller, [EnumeratorCancellation] CancellationToken ct)
    {
        _ = Call(request.RunId, () => executor.Get(request.RunId));
        await foreach (var change in executor.WatchAsync(request.RunId, ct).ConfigureAwait(false))
        {
            yield return OperatorWireMapper.ToWire(change);
        }
    }

    // A command that succeeds is audited by the executor in the same transaction as the run's transition.
    public Task<V1.RunStatus> PauseAsync(V1.RunControlRequest request, string caller) =>
        ControlAsync(caller, "run.pause", request.RunId, () => executor.PauseAsync(request.RunId, caller, request.Reason));

    public Task<V1.RunStatus> ResumeAsync(V1.RunControlRequest request, string caller) =>
        ControlAsync(caller, "run.resume", request.RunId, () => executor.ResumeAsync(request.RunId, caller, request.Reason));

    public Task<V1.RunStatus> AbortAsync(V1.RunControlRequest request, string caller) =>
        ControlAsync(caller, "run.abort", request.RunId, () => executor.AbortAsync(request.RunId, caller, request.Reason));

    public Task<V1.RunStatus> ApproveAsync(V1.ApproveRequest request, string caller) =>
        ControlAsync(caller, "run.approve", request.RunId, () => executor.ApproveAsync(request.RunId, request.Gate, caller));

    /// <summary>
    /// Retries an ended run from its failed steps with its stored plan (<see cref="RunExecutor.RetryAsync"/>). The
    /// runbook the plan was made from must still be in the catalogue at the same version: a changed runbook means
    /// the stored plan is no longer what the catalogue would run, and a new plan must be reviewed instead.
    /// </summary>
    public Task<V1.RunStatus> RetryAsync(V1.RetryRequest request, string caller, CancellationToken ct) =>
        AuditRefusalAsync(caller, "run.retry", request.RunId, async () =>
        {
            Require(request.RunId, "run_id");
            var current = Call(request.RunId, () => executor.Get(request.RunId)).Run;
            var runbooks = await plans.ListRunbooksAsync(ct).ConfigureAwait(false);
            var stored = executor.StoredPlan(request.RunId);
            var runbook = runbooks.FirstOrDefault(r => r.Name == current.Runbook);
            if (runbook is null || runbook.Version != stored.RunbookVersion)
            {
                throw new OperatorException(OperatorErrorCode.FailedPrecondition,
                    $"Run {current.RunId} was not retried: its plan was made from runbook {current.Runbook} {stored.RunbookVersion}, and the catalogue now has " +
                    (runbook is null ? "no such runbook" : $"version {runbook.Version}") + ". Review a new plan and apply it instead.");
            }

            var accept = new RetryAcceptance([.. request.AcceptUnknown.Where(s => s.Length > 0)], request.ForceUnknown);
            try
            {
                return OperatorWireMapper.ToWire(await Call(request.RunId, () => executor.RetryAsync(request.RunId, caller, accept)).ConfigureAwait(false));
            }
            catch (ArgumentException ex)
            {
                throw new OperatorException(OperatorErrorCode.InvalidArgument, ex.Message);
            }
        });

    /// <summary>
    /// The newest <c>limit</c> entries older than the page token, as many of them as fit in a page (newest kept),
    /// oldest first; the token of the rest is the oldest sent entry's id.
    /// </summary>
    public V1.HistoryResponse History(V1.HistoryRequest request, string caller)
    {
        var before = long.MaxValue;
        if (request.PageToken.Length > 0 && !long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out before))
        {
            throw new OperatorException(OperatorErrorCode.InvalidArgument, $"page_token '{request.PageToken}' is not one this coordinator gave.");
        }

        var entries = audit.Query(request.RunId, (int)Math.Min(request.Limit, int.MaxValue), before);
        var response = new V1.HistoryResponse();
        var newestFirst = new List<V1.AuditEntry>();
        long bytes = 0;
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            var entry = OperatorWireMapper.ToWire(entries[i]);
            if (entry.CalculateSize() > ReplyPages.MaxPageBytes)
            {
                entry.Detail = $"{entry.Detail[..MaxClippedDetail]}... (clipped: the detail is {entry.Detail.Length} characters)";
            }

            var size = CodedOutputStream.ComputeMessageSize(entry) + 1;
            if (newestFirst.Count > 0 && bytes + size > ReplyPages.MaxPageBytes)
            {
                response.NextPageToken = entries[i + 1].Id.ToString(CultureInfo.InvariantCulture);
                break;
            }

            newestFirst.Add(entry);
            bytes += size;
        }

        // Gathered newest first so a full page keeps the newest; shown oldest first.
        newestFirst.Reverse();
        response.Entries.Add(newestFirst);
        return response;
    }

    private static V1.RunbookInfo ToWire(RunbookSummary runbook)
    {
        var info = new V1.RunbookInfo
        {
            Name = runbook.Name, Version = runbook.Version, Procedure = runbook.Procedure, Description = runbook.Description,
        };
        info.Phases.Add(runbook.Phases);
        info.Parameters.Add(runbook.Parameters.Select(p => new V1.RunbookParameterInfo
        {
            Name = p.Name, Type = p.Type, Required = p.Required, DefaultValue = p.DefaultValue, Description = p.Description,
        }));
        return info;
    }

    // The texts are what make a summary large (YAML aliases can repeat one); names, types and phases are kept.
    private static V1.RunbookInfo ShrinkRunbook(V1.RunbookInfo info)
    {
        var shrunk = info.Clone();
        shrunk.Description = $"(descriptions not listed: this runbook's summary is {info.CalculateSize() / (1024 * 1024)} MiB; see its file)";
        foreach (var parameter in shrunk.Parameters)
        {
            parameter.Description = "";
            parameter.DefaultValue = parameter.DefaultValue.Length > 1024 ? parameter.DefaultValue[..1024] + "..." : parameter.DefaultValue;
        }

        return shrunk;
    }

    // The message is the only part of a run's header that can grow (a failure's text).
    private static V1.RunListEntry ShrinkRun(V1.RunListEntry run)
    {
        var shrunk = run.Clone();
        shrunk.Message = shrunk.Message[..Math.Min(shrunk.Message.Length, MaxClippedDetail)] + "... (clipped)";
        return shrunk;
    }

    // Facts and the health report are the agent's free-form parts; what the fleet table needs stays.
    private static V1.NodeInfo ShrinkNode(V1.NodeInfo node)
    {
        var shrunk = node.Clone();
        shrunk.Facts.Clear();
        shrunk.Health = null;
        return shrunk;
    }

    private Task<V1.RunStatus> ControlAsync(string caller, string what, string runId, Func<Task<RunRecord>> command) =>
        AuditRefusalAsync(caller, what, runId, async () =>
        {
            Require(runId, "run_id");
            await Call(runId, command).ConfigureAwait(false);
            return OperatorWireMapper.ToWire(executor.Get(runId));
        });

    /// <summary>Runs <paramref name="command"/>; a refusal is audited as <c>WHAT_refused</c> with its reason, then rethrown.</summary>
    private async Task<T> AuditRefusalAsync<T>(string caller, string what, string runId, Func<Task<T>> command)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (OperatorException ex)
        {
            await audit.RecordAsync(caller, what + "_refused", runId, $"{ex.Code}: {ex.Message}").ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<T> Call<T>(string runId, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RunNotFoundException ex)
        {
            throw new OperatorException(OperatorErrorCode.NotFound, ex.Message);
        }
        catch (RunStateException ex)
        {
            throw new OperatorException(OperatorErrorCode.FailedPrecondition, ex.Message);
        }
    }

    private static T Call<T>(string runId, Func<T> call)
    {
        Require(runId, "run_id");
        try
        {
            return call();
        }
        catch (RunNotFoundException ex)
        {
            throw new OperatorException(OperatorErrorCode.NotFound, ex.Message);
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
