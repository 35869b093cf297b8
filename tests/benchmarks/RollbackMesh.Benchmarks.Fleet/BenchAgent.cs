using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.V1;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Benchmarks.Fleet;

/// <summary>
/// A lean in-process agent: answers a StepCommand with RUNNING, sleeps the no-op's duration, then the terminal
/// update and a health report, as the real agent does. Resent step ids are answered from its journal.
/// </summary>
internal sealed class BenchAgent(string name, string role, AgentSessionHub hub) : IAgentStreamWriter
{
    private readonly ConcurrentDictionary<string, StepResult> _journal = new();

    public string Name { get; } = name;

    public int Executions;

    public Task ConnectAsync()
    {
        var hello = new Hello { NodeName = Name, AgentVersion = "bench" };
        hello.Roles.Add(role);
        return hub.OnConnectedAsync(hello, this, CancellationToken.None).AsTask().ContinueWith(_ => ReportHealth(), TaskScheduler.Default);
    }

    public ValueTask WriteAsync(CoordinatorMessage message, CancellationToken ct)
    {
        if (message.BodyCase == CoordinatorMessage.BodyOneofCase.Step)
        {
            _ = RunAsync(message.Step);
        }

        return ValueTask.CompletedTask;
    }

    private async Task RunAsync(StepCommand command)
    {
        if (_journal.TryGetValue(command.StepId, out var recorded))
        {
            Update(command, recorded.State, recorded);
            return;
        }

        Interlocked.Increment(ref Executions);
        Update(command, V1.StepState.Running, null);
        await Task.Delay((int)command.Action.NoOp.SleepMilliseconds).ConfigureAwait(false);
        var result = new StepResult { State = V1.StepState.Succeeded, Summary = "no-op" };
        _journal[command.StepId] = result;
        Update(command, V1.StepState.Succeeded, result);
        ReportHealth();
    }

    private void Update(StepCommand command, V1.StepState state, StepResult? result) =>
        hub.OnStepUpdate(Name, new StepUpdate { RunId = command.RunId, StepId = command.StepId, State = state, Result = result });

    private void ReportHealth()
    {
        var report = new HealthReport { At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Healthy = true };
        report.Disks.Add(new DiskUsage { Path = "/var/lib", FreeBytes = 50UL << 30, TotalBytes = 100UL << 30 });
        report.Units.Add(new UnitState { Unit = "k3s.service", ActiveState = "active", SubState = "running" });
        hub.OnHealth(Name, report);
    }
}
