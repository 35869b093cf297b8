using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;

namespace RollbackMesh.Benchmarks.Swarm;

/// <summary>
/// One simulated agent: its own SocketsHttpHandler (so its own TCP + TLS connection, bound to its own loopback source
/// address) presenting its own node certificate. Per stream it sends Hello and its recent journal, then a health report
/// at once and every HelloAck interval; it answers no_op steps as the real agent does (RUNNING, then the terminal result,
/// a resend answered from the journal) and JournalQuery from its in-memory journal. A lost stream is retried with the
/// real agent's backoff: full jitter, ceiling 1 s doubling to 30 s (agent Connection/ReconnectBackoff.cs).
/// </summary>
internal sealed class SwarmAgent : IAsyncDisposable
{
    private static readonly TimeSpan InitialCeiling = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaximumCeiling = TimeSpan.FromSeconds(30);

    // The real agent's defaults (agent Configuration/CoordinatorOptions.cs: keepalive_interval 30s, keepalive_timeout 20s).
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(20);

    private readonly Uri _address;
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2 _ca;
    private readonly IPAddress _source;
    private readonly string _role;
    private readonly string _cluster;
    private readonly ConcurrentDictionary<string, JournalEntry> _journal = new();
    private readonly ConcurrentQueue<StepDispatch> _dispatches = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _silent;
    private volatile JournalEntry? _lastStep;
    private TaskCompletionSource _stepChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _healthReports;
    private Task? _loop;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SwarmAgent(string name, string role, string cluster, Uri address, X509Certificate2 certificate, X509Certificate2 ca, IPAddress source, TimeSpan stepTimeout)
    {
        Name = name;
        _role = role;
        _cluster = cluster;
        StepTimeout = stepTimeout;
        _address = address;
        _certificate = certificate;
        _ca = ca;
        _source = source;
    }

    public string Name { get; }

    /// <summary>The step timeout of the runbook this swarm runs: the coordinator sets deadline = dispatch + timeout.</summary>
    public TimeSpan StepTimeout { get; }

    /// <summary>Streams that reached HelloAck (1 on the first connect, +1 per reconnect).</summary>
    public int Connections { get; private set; }

    /// <summary>When the last health report was written.</summary>
    public DateTimeOffset LastHealthSent { get; private set; }

    /// <summary>Streams opened (successful or not).</summary>
    public int Attempts { get; private set; }

    /// <summary>Why the last failed attempt failed (empty when none failed).</summary>
    public string LastError { get; private set; } = "";

    /// <summary>Health reports written over all streams.</summary>
    public int HealthReports => Volatile.Read(ref _healthReports);

    /// <summary>Steps executed (not answered from the journal).</summary>
    public int Executions { get; private set; }

    /// <summary>Every StepCommand received, with the coordinator's dispatch time and the arrival time here.</summary>
    public IReadOnlyCollection<StepDispatch> Dispatches => _dispatches;

    /// <summary>Completes when the current (re)connection has been acknowledged.</summary>
    public Task Connected => _connected.Task;

    /// <summary>Expect a fresh connection: <see cref="Connected"/> completes on the next HelloAck.</summary>
    public void ExpectReconnect() => _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stop sending health reports but keep the stream open: what a hung agent looks like to the coordinator.</summary>
    public void GoSilent() => _silent = true;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var attempt = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await SessionAsync(ct).ConfigureAwait(false))
                {
                    attempt = 0;
                }
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RpcException or IOException or HttpRequestException or InvalidOperationException or OperationCanceledException)
            {
                LastError = ex.GetType().Name + ": " + ex.Message;
                // Refused, reset or coordinator gone: back off and dial again.
            }

            var ceiling = Math.Min(MaximumCeiling.Ticks, InitialCeiling.Ticks * Math.Pow(2, Math.Min(attempt++, 30)));
            try
            {
                await Task.Delay(TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * ceiling)), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One stream; true when it was acknowledged (the backoff then starts over).</summary>
    private async Task<bool> SessionAsync(CancellationToken ct)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // A channel per attempt, as the agent's GrpcHubConnector opens one per connect.
        Attempts++;
        using var channel = GrpcChannel.ForAddress(_address, new GrpcChannelOptions { HttpHandler = CreateHandler(), DisposeHttpClient = true });
        using var call = new AgentHub.AgentHubClient(channel).Connect(cancellationToken: session.Token);
        var writeLock = new SemaphoreSlim(1, 1);
        async Task WriteAsync(AgentMessage message)
        {
            await writeLock.WaitAsync(session.Token).ConfigureAwait(false);
            try
            {
                await call.RequestStream.WriteAsync(message, session.Token).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        var hello = new Hello { NodeName = Name, AgentVersion = "swarm", Roles = { _role }, Cluster = _cluster, Capabilities = { "no_op" } };
        hello.Facts.Add("os", "linux");
        hello.Facts.Add("quarantine_path", "/var/lib/rollbackmesh-agent/quarantine");
        await WriteAsync(new AgentMessage { Hello = hello }).ConfigureAwait(false);
        var recent = new JournalReport();
        recent.Entries.Add(_journal.Values);
        await WriteAsync(new AgentMessage { Journal = recent }).ConfigureAwait(false);

        var acknowledged = false;
        Task? health = null;
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(session.Token).ConfigureAwait(false))
            {
                switch (message.BodyCase)
                {
                    case CoordinatorMessage.BodyOneofCase.HelloAck:
                        acknowledged = true;
                        Connections++;
                        var interval = TimeSpan.FromSeconds(Math.Max(1, message.HelloAck.HealthIntervalSeconds));
                        health = HealthLoopAsync(WriteAsync, interval, session.Token);
                        _connected.TrySetResult();
                        break;
                    case CoordinatorMessage.BodyOneofCase.Step:
                        _ = StepAsync(message.Step, WriteAsync);
                        break;
                    case CoordinatorMessage.BodyOneofCase.JournalQuery:
                        var report = new JournalReport();
                        report.Entries.Add(_journal.Values.Where(e => e.RunId == message.JournalQuery.RunId));
                        await WriteAsync(new AgentMessage { Journal = report }).ConfigureAwait(false);
                        break;
                }
            }
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            if (health is not null)
            {
                await health.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }

        return acknowledged;
    }

    // As the agent's HealthReporter: a report at once, then every interval, or at once when a step's state changed,
    // since gates wait for a report newer than the phase's last step.
    private async Task HealthLoopAsync(Func<AgentMessage, Task> write, TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Volatile.Write(ref _stepChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (!_silent)
            {
                var report = new HealthReport { At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Healthy = true, Datastore = DatastoreKind.None };
                // Sized like a K3s server's report (a few units and versions): the coordinator keeps 100 per node.
                report.Units.Add(new UnitState { Unit = "k3s.service", ActiveState = "active", SubState = "running" });
                report.Units.Add(new UnitState { Unit = "containerd.service", ActiveState = "active", SubState = "running" });
                report.Versions.Add("k3s", "v1.31.4+k3s1");
                report.Versions.Add("rollbackmesh-agent", "swarm");
                report.Versions.Add("calico-felix", "3.29.1");
                // Preflight wants room for the quarantine on the disk holding it, as the real agent reports its disks.
                report.Disks.Add(new DiskUsage { Path = "/", FreeBytes = 64UL << 30, TotalBytes = 128UL << 30 });
                if (_lastStep is { } last)
                {
                    report.LastStepId = last.StepId;
                    report.LastStepState = last.State;
                }

                await write(new AgentMessage { Health = report }).ConfigureAwait(false);
                LastHealthSent = DateTimeOffset.UtcNow;
                Interlocked.Increment(ref _healthReports);
            }

            // As the agent: a step's change ends the wait at once.
            await Task.WhenAny(Task.Delay(interval, ct), Volatile.Read(ref _stepChanged).Task).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    private async Task StepAsync(StepCommand command, Func<AgentMessage, Task> write)
    {
        var received = DateTimeOffset.UtcNow;
        _dispatches.Enqueue(new StepDispatch(command.RunId, command.StepId, command.Deadline.ToDateTimeOffset() - StepTimeout, received));
        try
        {
            var key = command.RunId + "/" + command.StepId;
            if (!_journal.TryGetValue(key, out var entry))
            {
                if (command.Action?.KindCase != V1.Action.KindOneofCase.NoOp)
                {
                    entry = Entry(command, StepState.Refused, received, "", "the swarm runs only no_op steps");
                }
                else
                {
                    await write(new AgentMessage { StepUpdate = new StepUpdate { RunId = command.RunId, StepId = command.StepId, State = StepState.Running } }).ConfigureAwait(false);
                    if (command.Action.NoOp.SleepMilliseconds > 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(command.Action.NoOp.SleepMilliseconds)).ConfigureAwait(false);
                    }

                    entry = Entry(command, StepState.Succeeded, received, "no-op", "");
                    Executions++;
                }

                _journal[key] = entry;
                _lastStep = entry;
                Volatile.Read(ref _stepChanged).TrySetResult();
            }

            await write(new AgentMessage { StepUpdate = new StepUpdate { RunId = command.RunId, StepId = command.StepId, State = entry.State, Result = entry.Result } }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or InvalidOperationException or IOException)
        {
            // The stream went away: the journal keeps the outcome for the coordinator's next query.
        }
    }

    // As RollbackMeshChannel configures the real agent's handler, plus the source address.
    private SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = KeepAliveInterval,
        KeepAlivePingTimeout = KeepAliveTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            ClientCertificates = [_certificate],
            RemoteCertificateValidationCallback = PinnedCa.TrustOnly(_ca),
        },
        // One destination port holds ~28,000 source ports per source address; several 127.0.0.x keep 10,000
        // agents plus a reconnect storm (old sockets in TIME_WAIT) clear of that limit.
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(_source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static JournalEntry Entry(StepCommand command, StepState state, DateTimeOffset started, string summary, string error) => new()
    {
        RunId = command.RunId,
        StepId = command.StepId,
        State = state,
        Result = new StepResult
        {
            State = state,
            Summary = summary,
            Error = error,
            Verified = state == StepState.Succeeded,
            StartedAt = Timestamp.FromDateTimeOffset(started),
            FinishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        },
    };
}

/// <summary>A StepCommand as this agent saw it: dispatched by the coordinator at one time, received here at another.</summary>
internal sealed record StepDispatch(string RunId, string StepId, DateTimeOffset DispatchedAt, DateTimeOffset ReceivedAt);
