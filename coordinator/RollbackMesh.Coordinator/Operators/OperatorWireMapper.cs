using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Operators;

/// <summary>Maps runs, plans and audit entries to the Operator service's messages.</summary>
internal static class OperatorWireMapper
{
    public static V1.RunStatus ToWire(RunSnapshot snapshot)
    {
        var run = snapshot.Run;
        var status = new V1.RunStatus
        {
            RunId = run.RunId,
            Runbook = run.Runbook,
            PlanHash = run.PlanHash,
            State = (V1.RunState)(int)run.State,
            CurrentPhase = run.CurrentPhase,
            Message = run.Message,
            StartedAt = Timestamp.FromDateTimeOffset(run.StartedAt),
            FinishedAt = run.FinishedAt is { } f ? Timestamp.FromDateTimeOffset(f) : null,
            AwaitingApproval = run.AwaitingApproval,
            Attempt = (uint)run.Attempt,
            Cluster = run.Cluster,
        };
        status.Steps.Add(snapshot.Steps.Select(s => new V1.StepStatus
        {
            StepId = s.StepId,
            Node = s.Node,
            Phase = s.Phase,
            Name = s.Name,
            State = AgentWireMapper.ToWire(s.State),
            Summary = s.Summary,
            Error = s.Error,
            UpdatedAt = Timestamp.FromDateTimeOffset(s.UpdatedAt),
            Attempt = (uint)s.Attempt,
        }));
        return status;
    }

    /// <summary>A run as <c>runs</c> lists it: its header, no steps.</summary>
    public static V1.RunListEntry ToListEntry(RunRecord run) => new()
    {
        Id = run.RunId,
        Kind = "run",
        Runbook = run.Runbook,
        Cluster = run.Cluster,
        State = (V1.RunState)(int)run.State,
        StartedAt = Timestamp.FromDateTimeOffset(run.StartedAt),
        FinishedAt = run.FinishedAt is { } f ? Timestamp.FromDateTimeOffset(f) : null,
        PlanHash = run.PlanHash,
        StartedBy = run.StartedBy,
        CurrentPhase = run.CurrentPhase,
        Message = run.Message,
        Attempt = (uint)run.Attempt,
    };

    public static V1.RunEvent ToWire(RunEventRecord change) =>
        new() { At = Timestamp.FromDateTimeOffset(change.At), Message = change.Message, Status = ToWire(change.Snapshot) };

    public static V1.AuditEntry ToWire(AuditEntry entry) => new()
    {
        At = Timestamp.FromDateTimeOffset(entry.At),
        Who = entry.Who,
        What = entry.What,
        RunId = entry.RunId,
        Detail = entry.Detail,
    };

    public static V1.PlanResponse ToWire(Plan plan)
    {
        var response = new V1.PlanResponse { Runbook = plan.Runbook, Hash = plan.Hash, Cluster = plan.Cluster };
        response.Parameters.Add(plan.Parameters.ToDictionary(
            p => p.Key, p => plan.SecretParameters.Contains(p.Key) && p.Value.Length > 0 ? Plan.SecretMask : p.Value, StringComparer.Ordinal));
        response.Phases.Add(plan.Phases.Select(phase =>
        {
            var planned = new V1.PlannedPhase
            {
                Name = phase.Name,
                Selector = phase.Selector,
                MaxConcurrency = (uint)phase.MaxConcurrency,
                FailureBudget = (uint)phase.FailureBudget,
                Gate = phase.Gate is { } gate ? Describe(gate) : "",
            };
            planned.Waves.Add(phase.Waves.Select(wave =>
            {
                var w = new V1.PlannedWave { Index = (uint)wave.Index };
                w.Nodes.Add(wave.Nodes.Select(node =>
                {
                    var n = new V1.PlannedNode { Node = node.Node };
                    n.Steps.Add(node.Steps.Select(s => ToWire(s, plan)));
                    return n;
                }));
                return w;
            }));
            return planned;
        }));
        return response;
    }

    private static V1.PlannedStep ToWire(PlanStep step, Plan plan) => new()
    {
        StepId = step.StepId,
        Name = step.Name,
        ActionKind = step.Action.KindCase.ToString(),
        Arguments = plan.Redact(JsonFormatter.Default.Format(step.Action)),
        Irreversible = step.Irreversible,
        Source = step.Source,
    };

    private static string Describe(PlanGate gate) =>
        string.Join("; ", gate.Checks.Select(c => c.Kind switch
        {
            GateCheckKind.NodesHealthy => "nodes healthy",
            GateCheckKind.UnitActive => $"unit {c.Target} active{UnitSettling.Describe(c.Argument)}",
            GateCheckKind.VersionMatches => $"{c.Target} version matches /{c.Argument}/",
            _ => c.Kind.ToString(),
        })) + $" (timeout {gate.Timeout})";
}
