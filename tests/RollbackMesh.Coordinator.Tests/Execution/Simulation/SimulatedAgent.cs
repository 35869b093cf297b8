using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using RollbackMesh.Coordinator.Execution;
using StepState = RollbackMesh.V1.StepState;
using RollbackMesh.V1;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution.Simulation;

/// <summary>
/// An in-process agent on the far side of an <see cref="AgentSessionHub"/> stream, behaving as the real agent is
/// documented to: it journals a step before and after running it, answers a resent step id from its journal
/// (never running it twice), honours CancelStep and the deadline, answers JournalQuery, and reports health after
/// every step. It counts executions per step id so tests can prove nothing ran twice. Dry runs are described and
/// never journaled. While its stream is down nothing it reports arrives (updates are lost, as on a dropped stream);
/// <see cref="CrashAsync"/> models an agent restart (running steps die, their journal entries stay "started" and are
/// reported FAILED "interrupted, state unknown").
/// </summary>
internal sealed class SimulatedAgent(string name, params string[] roles) : IAgentStreamWriter
{
    private readonly ConcurrentDictionary<string, JournalEntry> _journal = new();
    private readonly ConcurrentDictionary<string, int> _executions = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly ConcurrentQueue<string> _cancels = new();
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly ConcurrentQueue<string> _dryRuns = new();
    private readonly ConcurrentDictionary<string, bool> _killed = new();
    private volatile bool _connected;
    private volatile bool _reportAfterHelloPending;

    public string Name { get; } = name;

    public AgentSessionHub? Hub { get; private set; }

    /// <summary>Decides each step's behaviour from its step id. Default: succeed at once.</summary>
    public Func<StepCommand, StepBehavior> Behavior { get; set; } = _ => StepBehavior.Ok();

    public bool Healthy { get; set; } = true;

    public ulong FreeBytes { get; set; } = 50UL << 30;

    /// <summary>The reported ActiveState of k3s.service (a stopped unit does not make the report unhealthy).</summary>
    public string K3sActiveState { get; set; } = "active";

    /// <summary>The reported NRestarts of k3s.service (systemd's count of restarts under Restart=); by default never restarted.</summary>
    public Func<uint> K3sRestarts { get; set; } = static () => 0;

    public Dictionary<string, string> Versions { get; } = new() { ["k3s"] = "v1.30.0+k3s1" };

    /// <summary>Shared across a fleet to measure how many steps run at once.</summary>
    public ConcurrencyProbe? Probe { get; set; }

    public IReadOnlyDictionary<string, int> Executions => _executions;

    public IReadOnlyCollection<string> Cancels => _cancels;

    /// <summary>Step ids of every StepCommand received, resends included (dry runs not).</summary>
    public IReadOnlyCollection<string> Commands => _commands;

    /// <summary>"run id/step id" of every dry-run StepCommand received.</summary>
    public IReadOnlyCollection<string> DryRuns => _dryRuns;

    /// <summary>Dry runs are never answered (an agent stuck describing).</summary>
    public bool DryRunHangs { get; set; }

    /// <summary>
    /// By step id, the error with which the dry run is REFUSED (null: described), as the real agent refuses a step
    /// whose arguments fail validation or leave the allowed roots (StepRunner.DryRunAsync).
    /// </summary>
    public Func<string, string?> DryRunRefusal { get; set; } = static _ => null;

    /// <summary>
    /// By step id, the error with which the dry run FAILED (null: described), as the real agent answers when the
    /// arguments are valid but the node's current state cannot be described yet (ActionFailedException in DescribeAsync).
    /// </summary>
    public Func<string, string?> DryRunFailure { get; set; } = static _ => null;

    /// <summary>The next StepCommand write fails and the stream drops (the command never arrives).</summary>
    public bool BreakOnNextStep { get; set; }

    /// <summary>The next StepCommand is accepted by the transport but lost with the stream, which drops.</summary>
    public bool LoseNextStep { get; set; }

    public bool Connected => _connected;

    /// <summary>
    /// After each Hello the agent sends its recent journal entries unasked (the real agent's HubSession does). With this
    /// set, that report lists steps journaled "started" as RUNNING even when they died with an earlier process (as
    /// agents did before issue 16 item 6a), and it reaches the coordinator just after the coordinator's JournalQuery
    /// went out, ahead of the query's answer: the losing order of the race, made deterministic.
    /// </summary>
    public bool StaleReportAfterHello { get; set; }

    /// <summary>The serial of the certificate the stream authenticates with (null: no TLS, nothing to revoke).</summary>
    public string? CertificateSerial { get; set; }

    /// <summary>The agent.yaml cluster it sends in Hello (empty: none).</summary>
    public string Cluster { get; init; } = "";

    public async Task ConnectAsync(AgentSessionHub hub)
    {
        Hub = hub;
        var hello = new Hello { NodeName = Name, AgentVersion = "0.1.0-sim", Cluster = Cluster };
        hello.Roles.Add(roles);
        hello.Facts.Add("os", "debian-12");
        _connected = true;
        _reportAfterHelloPending = StaleReportAfterHello;
        // The hub cancels this when it cuts the stream (revocation), as the endpoint's call would end.
        var end = new CancellationTokenSource();
        end.Token.Register(() => _connected = false);
        await hub.OnConnectedAsync(hello, this, CancellationToken.None, CertificateSerial, end);
        ReportHealth();
    }

    /// <summary>The stream drops; the agent keeps running its steps.</summary>
    public Task DisconnectAsync()
    {
        _connected = false;
        return Hub?.OnDisconnectedAsync(Name, this) ?? Task.CompletedTask;
    }

    /// <summary>The agent process dies: the stream drops and running steps end without a recorded outcome.</summary>
    public Task CrashAsync()
    {
        _connected = false;
        foreach (var (stepId, cts) in _running)
        {
            _killed[stepId] = true;
            cts.Cancel();
        }

        return Hub?.OnDisconnectedAsync(Name, this) ?? Task.CompletedTask;
    }

    public void ReportHealth()
    {
        if (!_connected)
        {
            return;
        }

        var report = new HealthReport { At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Healthy = Healthy };
        if (!Healthy)
        {
            report.Problems.Add("k3s.service failed");
        }

        report.Units.Add(new UnitState
        {
            Unit = "k3s.service", ActiveState = K3sActiveState, SubState = K3sActiveState == "active" ? "running" : "dead", Restarts = K3sRestarts(),
        });
        report.Versions.Add(Versions);
        report.Disks.Add(new DiskUsage { Path = "/var/lib", FreeBytes = FreeBytes, TotalBytes = 100UL << 30 });
        Hub?.OnHealth(Name, report);
    }

    public ValueTask WriteAsync(CoordinatorMessage message, CancellationToken ct)
    {
        switch (message.BodyCase)
        {
            case CoordinatorMessage.BodyOneofCase.Step when message.Step.DryRun:
                _dryRuns.Enqueue($"{message.Step.RunId}/{message.Step.StepId}");
                if (DryRunHangs)
                {
                    break;
                }

                var answer = DryRunRefusal(message.Step.StepId) is { } refusal
                    ? new StepResult { State = StepState.Refused, Error = refusal }
                    : DryRunFailure(message.Step.StepId) is { } failure
                    ? new StepResult { State = StepState.Failed, Error = failure }
                    : new StepResult { State = StepState.Succeeded, Summary = "dry run", DryRun = $"would run {message.Step.StepId} on {Name}" };
                _ = Task.Run(() => Report(message.Step, answer.State, answer), CancellationToken.None);

                break;
            case CoordinatorMessage.BodyOneofCase.Step when BreakOnNextStep:
                BreakOnNextStep = false;
                _connected = false;
                _ = Hub?.OnDisconnectedAsync(Name, this);
                return ValueTask.FromException(new AgentUnavailableException(Name));
            case CoordinatorMessage.BodyOneofCase.Step when LoseNextStep:
                LoseNextStep = false;
                _connected = false;
                _ = Hub?.OnDisconnectedAsync(Name, this);
                break;
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
                report.Entries.Add(_journal.Values.Where(e => e.RunId == message.JournalQuery.RunId).Select(e => e.Result is null && !_running.ContainsKey(e.StepId) ? Interrupted(e) : e.Clone()));
                JournalReport? afterHello = null;
                if (_reportAfterHelloPending)
                {
                    _reportAfterHelloPending = false;
                    afterHello = new JournalReport();
                    afterHello.Entries.Add(_journal.Values.Select(e => e.Clone()));
                }

                _ = Task.Run(() =>
                {
                    if (_connected && afterHello is not null)
                    {
                        Hub?.OnJournal(Name, afterHello);
                    }

                    if (_connected)
                    {
                        Hub?.OnJournal(Name, report);
                    }
                }, CancellationToken.None);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private async Task RunStepAsync(StepCommand command)
    {
        var entry = new JournalEntry { RunId = command.RunId, StepId = command.StepId, State = StepState.Running };
        // Registered as running before it is journaled, so a journal query never sees it "started" and not running.
        using var cts = new CancellationTokenSource();
        var registered = _running.TryAdd(command.StepId, cts);
        if (!_journal.TryAdd(command.StepId, entry))
        {
            if (registered)
            {
                _running.TryRemove(command.StepId, out _);
            }

            // A resent step id: answer from the journal (a step still running will report when it ends).
            var recorded = _journal[command.StepId];
            if (recorded.Result is not null)
            {
                Report(command, recorded.State, recorded.Result);
            }
            else if (!_running.ContainsKey(command.StepId))
            {
                var interrupted = Interrupted(recorded);
                Report(command, interrupted.State, interrupted.Result);
            }

            return;
        }

        _executions.AddOrUpdate(command.StepId, 1, (_, n) => n + 1);
        var behavior = Behavior(command);
        Report(command, StepState.Running, null);
        Probe?.Enter();
        var state = behavior.Result;
        var error = behavior.Error;
        var died = false;
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
        catch (OperationCanceledException) when (_killed.TryRemove(command.StepId, out _))
        {
            died = true;
        }
        catch (OperationCanceledException)
        {
            (state, error) = (StepState.Cancelled, "cancelled by the coordinator");
        }
        finally
        {
            Probe?.Leave();
        }

        if (died)
        {
            // The agent died mid-step: nothing is recorded or reported; the journal entry stays "started".
            _running.TryRemove(command.StepId, out _);
            return;
        }

        var result = new StepResult { State = state, Error = error, Summary = state == StepState.Succeeded ? "done" : "" };
        _journal[command.StepId] = new JournalEntry { RunId = command.RunId, StepId = command.StepId, State = state, Result = result };
        _running.TryRemove(command.StepId, out _);
        Report(command, state, result);
        ReportHealth();
    }

    private static JournalEntry Interrupted(JournalEntry entry) => new()
    {
        RunId = entry.RunId,
        StepId = entry.StepId,
        State = StepState.Failed,
        Result = new StepResult { State = StepState.Failed, Error = "interrupted, state unknown" },
    };

    private void Report(StepCommand command, StepState state, StepResult? result)
    {
        if (_connected)
        {
            Hub?.OnStepUpdate(Name, new StepUpdate { RunId = command.RunId, StepId = command.StepId, State = state, Result = result });
        }
    }
}
