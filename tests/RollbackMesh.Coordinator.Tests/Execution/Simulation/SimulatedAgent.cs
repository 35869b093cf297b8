using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using RollbackMesh.Coordinator.Execution;
using StepState = RollbackMesh.V1.StepState;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Tests.Execution.Simulation;

/// <summary>
/// An in-process agent on the far side of an <see cref="AgentSessionHub"/> stream, behaving as the real agent is
/// documented to: it journals a step before and after running it, answers a resent step id from its journal
/// (never running it twice), honours CancelStep and the deadline, answers JournalQuery, and reports health after
/// every step. It counts executions per step id so tests can prove nothing ran twice.
/// </summary>
internal sealed class SimulatedAgent(string name, params string[] roles) : IAgentStreamWriter
{
    private readonly ConcurrentDictionary<string, JournalEntry> _journal = new();
    private readonly ConcurrentDictionary<string, int> _executions = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly ConcurrentQueue<string> _cancels = new();
    private readonly ConcurrentQueue<string> _commands = new();

    public string Name { get; } = name;

    public AgentSessionHub? Hub { get; private set; }

    /// <summary>Decides each step's behaviour from its step id. Default: succeed at once.</summary>
    public Func<StepCommand, StepBehavior> Behavior { get; set; } = _ => StepBehavior.Ok();

    public bool Healthy { get; set; } = true;

    public ulong FreeBytes { get; set; } = 50UL << 30;

    public Dictionary<string, string> Versions { get; } = new() { ["k3s"] = "v1.30.0+k3s1" };

    /// <summary>Shared across a fleet to measure how many steps run at once.</summary>
    public ConcurrencyProbe? Probe { get; set; }

    public IReadOnlyDictionary<string, int> Executions => _executions;

    public IReadOnlyCollection<string> Cancels => _cancels;

    /// <summary>Step ids of every StepCommand received, resends included.</summary>
    public IReadOnlyCollection<string> Commands => _commands;

    public async Task ConnectAsync(AgentSessionHub hub)
    {
        Hub = hub;
        var hello = new Hello { NodeName = Name, AgentVersion = "0.1.0-sim" };
        hello.Roles.Add(roles);
        hello.Facts.Add("os", "debian-12");
        await hub.OnConnectedAsync(hello, this, CancellationToken.None);
        ReportHealth();
    }

    public Task DisconnectAsync() => Hub?.OnDisconnectedAsync(Name, this) ?? Task.CompletedTask;

    public void ReportHealth()
    {
        var report = new HealthReport { At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Healthy = Healthy };
        if (!Healthy)
        {
            report.Problems.Add("k3s.service failed");
        }

        report.Units.Add(new UnitState { Unit = "k3s.service", ActiveState = "active", SubState = "running" });
        report.Versions.Add(Versions);
        report.Disks.Add(new DiskUsage { Path = "/var/lib", FreeBytes = FreeBytes, TotalBytes = 100UL << 30 });
        Hub?.OnHealth(Name, report);
    }

    public ValueTask WriteAsync(CoordinatorMessage message, CancellationToken ct)
    {
        switch (message.BodyCase)
        {
            case CoordinatorMessage.BodyOneofCase.Step:
                _commands.Enqueue(message.Step.StepId);
                _ = Task.Run(() => RunStepAsync(message.Step), CancellationToken.None);
                break;
            case CoordinatorMessage.BodyOneofCase.Cancel:
                _cancels.Enqueue(message.Cancel.StepId);
                if (_running.TryGetValue(message.Cancel.StepId, out var cts))
                {
                    cts.Cancel();
                }

                break;
            case CoordinatorMessage.BodyOneofCase.JournalQuery:
                var report = new JournalReport();
                report.Entries.Add(_journal.Values.Where(e => e.RunId == message.JournalQuery.RunId).Select(e => e.Clone()));
                _ = Task.Run(() => Hub?.OnJournal(Name, report), CancellationToken.None);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private async Task RunStepAsync(StepCommand command)
    {
        var entry = new JournalEntry { RunId = command.RunId, StepId = command.StepId, State = StepState.Running };
        if (!_journal.TryAdd(command.StepId, entry))
        {
            // A resent step id: answer from the journal (a step still running will report when it ends).
            var recorded = _journal[command.StepId];
            if (recorded.Result is not null)
            {
                Report(command, recorded.State, recorded.Result);
            }

            return;
        }

        _executions.AddOrUpdate(command.StepId, 1, (_, n) => n + 1);
        var behavior = Behavior(command);
        using var cts = new CancellationTokenSource();
        _running[command.StepId] = cts;
        Report(command, StepState.Running, null);
        Probe?.Enter();
        var state = behavior.Result;
        var error = behavior.Error;
        try
        {
            var limit = command.Deadline.ToDateTimeOffset() - DateTimeOffset.UtcNow;
            if (behavior.Hang)
            {
                // A stuck agent: ignores its deadline, so only the coordinator's own timeout ends the step.
                await Task.Delay(Timeout.InfiniteTimeSpan, cts.Token);
            }
            else if (behavior.Delay > limit)
            {
                await Task.Delay(limit > TimeSpan.Zero ? limit : TimeSpan.Zero, cts.Token);
                (state, error) = (StepState.TimedOut, "deadline passed");
            }
            else
            {
                await Task.Delay(behavior.Delay, cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            (state, error) = (StepState.Cancelled, "cancelled by the coordinator");
        }
        finally
        {
            Probe?.Leave();
            _running.TryRemove(command.StepId, out _);
        }

        var result = new StepResult { State = state, Error = error, Summary = state == StepState.Succeeded ? "done" : "" };
        entry.State = state;
        entry.Result = result;
        Report(command, state, result);
        ReportHealth();
    }

    private void Report(StepCommand command, StepState state, StepResult? result) =>
        Hub?.OnStepUpdate(Name, new StepUpdate { RunId = command.RunId, StepId = command.StepId, State = state, Result = result });
}
