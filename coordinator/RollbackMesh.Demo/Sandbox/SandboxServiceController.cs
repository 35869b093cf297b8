using System.Globalization;
using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Actions.Services;
using RollbackMesh.Agent.Health;

namespace RollbackMesh.Demo.Sandbox;

/// <summary>
/// A stand-in for systemd on a sandbox node (the sandbox agent only, <see cref="SandboxAgent"/>). A unit exists when
/// its unit file exists under the root (as systemd would load it); its state is one line "ActiveState SubState" in its
/// state file, which the stand-in k3s-killall.sh also writes. Every job is appended to the service job log with a
/// millisecond timestamp, so tests can order jobs across nodes (paths: <see cref="StandInContract"/>).
/// Nothing is started: this records what systemctl would have done.
/// </summary>
internal sealed class SandboxServiceController : IServiceController, IUnitStateReader
{
    private readonly SandboxRoot _root;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    /// <summary>Creates the controller for the sandbox at <paramref name="root"/>.</summary>
    public SandboxServiceController(SandboxRoot root, TimeProvider time)
    {
        _root = root;
        _time = time;
    }

    /// <inheritdoc />
    public Task<ServiceJobOutcome> RunAsync(string unit, ServiceOperation operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var name = BaseName(unit);
        if (!File.Exists(UnitFile(name)))
        {
            throw new ActionFailedException($"Unit {name}.service not found (sandbox: no {UnitFile(name)}).");
        }

        lock (_gate)
        {
            var (active, _) = Read(name);
            var (outcome, next) = operation switch
            {
                ServiceOperation.Start or ServiceOperation.Restart => (new ServiceJobOutcome(true, "done"), ("active", "running")),
                ServiceOperation.Stop => (new ServiceJobOutcome(true, "done"), ("inactive", "dead")),
                // systemd refuses to reload a unit that is not running.
                _ => active == "active" ? (new ServiceJobOutcome(true, "done"), ("active", "running")) : (new ServiceJobOutcome(false, "failed"), (active, "dead")),
            };
            Write(name, next.Item1, next.Item2);
            Log($"{operation.ToString().ToLowerInvariant()} {name} {outcome.Result} {next.Item1}");
            return Task.FromResult(outcome);
        }
    }

    /// <inheritdoc />
    public Task<ServiceStatus> GetStatusAsync(string unit, CancellationToken cancellationToken)
    {
        var name = BaseName(unit);
        var (active, sub) = Read(name);
        return Task.FromResult(new ServiceStatus(unit, File.Exists(UnitFile(name)) ? "loaded" : "not-found", active, sub));
    }

    /// <inheritdoc />
    public Task<UnitStatus> ReadAsync(string unit, CancellationToken cancellationToken)
    {
        var (active, sub) = Read(BaseName(unit));
        return Task.FromResult(new UnitStatus(unit, active, sub));
    }

    private static string BaseName(string unit) => unit.EndsWith(".service", StringComparison.Ordinal) ? unit[..^".service".Length] : unit;

    private string UnitFile(string name) => _root.Rebase(StandInContract.UnitFile(name));

    private string StateFile(string name) => _root.Rebase(StandInContract.UnitStateFile(name));

    private (string Active, string Sub) Read(string name)
    {
        var file = StateFile(name);
        var parts = File.Exists(file) ? File.ReadAllText(file).Split(' ', 2, StringSplitOptions.TrimEntries) : [];
        return parts.Length == 2 ? (parts[0], parts[1]) : ("inactive", "dead");
    }

    private void Write(string name, string active, string sub)
    {
        Directory.CreateDirectory(_root.Rebase(StandInContract.UnitStateDirectory));
        var file = StateFile(name);
        File.WriteAllText(file + ".tmp", $"{active} {sub}\n");
        File.Move(file + ".tmp", file, overwrite: true);
    }

    private void Log(string line)
    {
        var log = _root.Rebase(StandInContract.ServiceJobLog);
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var at = _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        File.AppendAllText(log, $"{at} {line}\n");
    }
}
