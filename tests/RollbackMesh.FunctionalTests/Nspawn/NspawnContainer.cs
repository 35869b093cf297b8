using System.Diagnostics;
using System.Globalization;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// One booted systemd-nspawn container of the testbed: a real systemd as PID 1, its own network namespace on a
/// veth pair (<see cref="Address"/> inside, <see cref="HostAddress"/> on the host side) and its system bus
/// socket reachable from the host at <see cref="SystemBusSocketPath"/>. Commands run inside with
/// <c>nsenter -t LEADER -a</c> (machinectl and systemd-run -M need a host systemd, which there is none of).
/// </summary>
public sealed partial class NspawnContainer : IAsyncDisposable
{
    private static readonly string[] CleanEnvironment =
        ["/usr/bin/env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8", "DEBIAN_FRONTEND=noninteractive"];

    private readonly Process _supervisor;
    private readonly IReadOnlyList<string> _cgroups;
    private readonly string _runDirectory;
    private int _disposed;

    private NspawnContainer(string name, Process supervisor, int leaderPid, int subnet, string runDirectory, IReadOnlyList<string> cgroups)
    {
        Name = name;
        _supervisor = supervisor;
        LeaderPid = leaderPid;
        Address = $"10.231.{subnet}.2";
        HostAddress = $"10.231.{subnet}.1";
        _runDirectory = runDirectory;
        _cgroups = cgroups;
    }

    /// <summary>The machine name (also its host name and, prefixed with "ve-", the host side of its veth).</summary>
    public string Name { get; }

    /// <summary>The host pid of the container's PID 1 (systemd).</summary>
    public int LeaderPid { get; }

    /// <summary>The host pid of systemd-nspawn.</summary>
    public int SupervisorPid => _supervisor.Id;

    /// <summary>The container's IPv4 address on its veth (host0), reachable from the host.</summary>
    public string Address { get; }

    /// <summary>The host's address on this container's veth: a server on the host listening here (or on 0.0.0.0) is reachable from inside.</summary>
    public string HostAddress { get; }

    /// <summary>Host path of the container's system bus socket (its /run/dbus is bound from the host).</summary>
    public string SystemBusSocketPath => Path.Combine(_runDirectory, "bus", "system_bus_socket");

    /// <summary>D-Bus address of the container's system bus, usable from the host.</summary>
    public string SystemBusAddress => "unix:path=" + SystemBusSocketPath;

    /// <summary>Host path of the container's console output (systemd's boot messages).</summary>
    public string ConsoleLogPath => Path.Combine(_runDirectory, "console.log");

    /// <summary>Boots a container from <paramref name="rootFileSystem"/> and returns once its systemd reports the boot finished.</summary>
    internal static async Task<NspawnContainer> StartAsync(NspawnContainerSpec spec)
    {
        var runDirectory = Path.Combine(spec.RunRoot, spec.Name);
        Directory.CreateDirectory(runDirectory);
        var cgroups = NspawnCgroup.DirectoriesFor(spec.RunId, spec.Name);
        var startInfo = new ProcessStartInfo(spec.StartScript) { UseShellExecute = false };
        foreach (var argument in new[] { spec.Name, spec.RootFileSystem, runDirectory }.Concat(spec.ExtraArguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["CGROUPS"] = string.Join(' ', cgroups);
        var supervisor = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + spec.StartScript);
        NspawnContainer? container = null;
        try
        {
            var leader = await WaitForLeaderAsync(supervisor, runDirectory, spec.BootTimeout).ConfigureAwait(false);
            container = new NspawnContainer(spec.Name, supervisor, leader, spec.Subnet, runDirectory, cgroups);
            await container.ConfigureNetworkAsync().ConfigureAwait(false);
            await container.WaitForBootAsync(spec.BootTimeout).ConfigureAwait(false);
            return container;
        }
        catch
        {
            if (container is not null)
            {
                await container.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await StopAsync(supervisor, cgroups, runDirectory, keepRunDirectory: true).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Stops the container (SIGTERM to systemd-nspawn, which shuts its systemd down) and removes its cgroups.</summary>
    /// <remarks>Idempotent: a test may dispose a container that the testbed disposes again at the end.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await StopAsync(_supervisor, _cgroups, _runDirectory, keepRunDirectory: false).ConfigureAwait(false);
        }
    }

    private static async Task<int> WaitForLeaderAsync(Process supervisor, string runDirectory, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (supervisor.HasExited)
            {
                throw new InvalidOperationException(
                    $"systemd-nspawn exited {supervisor.ExitCode} before the container started:\n{ReadLog(runDirectory)}");
            }

            var children = $"/proc/{supervisor.Id}/task/{supervisor.Id}/children";
            var pids = File.Exists(children) ? File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            foreach (var pid in pids)
            {
                var comm = $"/proc/{pid}/comm";
                if (File.Exists(comm) && File.ReadAllText(comm).Trim() == "systemd")
                {
                    return int.Parse(pid, CultureInfo.InvariantCulture);
                }
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"no systemd inside the container within {timeout}:\n{ReadLog(runDirectory)}");
    }

    private static async Task StopAsync(Process supervisor, IReadOnlyList<string> cgroups, string runDirectory, bool keepRunDirectory)
    {
        if (!supervisor.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", supervisor.Id.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await supervisor.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                supervisor.Kill(entireProcessTree: true);
                await supervisor.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        supervisor.Dispose();
        NspawnCgroup.Remove(cgroups);
        if (!keepRunDirectory)
        {
            try
            {
                Directory.Delete(runDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string ReadLog(string runDirectory)
    {
        var log = Path.Combine(runDirectory, "console.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no console log)";
    }
}
