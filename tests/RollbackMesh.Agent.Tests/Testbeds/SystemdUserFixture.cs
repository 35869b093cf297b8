using System.Diagnostics;
using System.Text;
using RollbackMesh.Agent.Systemd;
using Tmds.DBus.Protocol;

namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// A real <c>systemd --user</c> (systemd 252 on Debian 12) in a private mount namespace where /run/systemd/system
/// exists, with its own socket-activated bus at XDG_RUNTIME_DIR/bus and unit files in XDG_CONFIG_HOME/systemd/user.
/// It runs in a cgroup of its own so two instances never share unit cgroups. Start failures throw with systemd's log.
/// </summary>
public sealed class SystemdUserFixture : IAsyncLifetime
{
    private const string SystemdBinary = "/lib/systemd/systemd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _log = new();
    private readonly string _root = Directory.CreateTempSubdirectory("rbm-systemd-").FullName;
    private readonly List<string> _cgroups = [];
    private Process? _systemd;

    /// <summary>The private bus address of this systemd instance.</summary>
    public string BusAddress => $"unix:path={RuntimeDirectory}/bus";

    /// <summary>A scratch directory the units may write into.</summary>
    public string WorkDirectory => Path.Combine(_root, "work");

    private string RuntimeDirectory => Path.Combine(_root, "runtime");

    private string UnitDirectory => Path.Combine(_root, "config", "systemd", "user");

    public async Task InitializeAsync()
    {
        if (!File.Exists(SystemdBinary))
        {
            throw new InvalidOperationException($"{SystemdBinary} is missing: install the 'systemd' package (tests/install-test-deps.sh).");
        }

        Directory.CreateDirectory(RuntimeDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(UnitDirectory);
        Directory.CreateDirectory(WorkDirectory);
        SystemdTestUnits.WriteAll(UnitDirectory, WorkDirectory);

        var start = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--mount", "--propagation", "private", "sh", "-c", BuildShellCommand() })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["XDG_RUNTIME_DIR"] = RuntimeDirectory;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(_root, "config");
        start.Environment["SYSTEMD_LOG_TARGET"] = "console";
        start.Environment.Remove("DBUS_SESSION_BUS_ADDRESS");
        _systemd = Process.Start(start) ?? throw new InvalidOperationException("unshare did not start.");
        _systemd.OutputDataReceived += (_, e) => AppendLog(e.Data);
        _systemd.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        _systemd.BeginOutputReadLine();
        _systemd.BeginErrorReadLine();

        await WaitUntilManagerAnswersAsync();
    }

    /// <summary>Connects a new manager to this instance.</summary>
    internal Task<SystemdManager> ConnectAsync() => SystemdManager.ConnectAsync(BusAddress, TimeProvider.System, new CancellationTokenSource(StartTimeout).Token);

    public async Task DisposeAsync()
    {
        if (_systemd is not null)
        {
            if (!_systemd.HasExited)
            {
                // SIGTERM makes the user manager stop its units and exit.
                NativeSignals.Send(_systemd.Id, NativeSignals.SigTerm);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await _systemd.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    NativeSignals.Send(_systemd.Id, NativeSignals.SigKill);
                }
            }

            _systemd.Dispose();
        }

        foreach (var cgroup in _cgroups)
        {
            KillAndRemoveCgroup(cgroup);
        }

        Directory.Delete(_root, recursive: true);
    }

    private string BuildShellCommand()
    {
        var command = new StringBuilder("set -e; ");
        foreach (var cgroup in CreateCgroups())
        {
            command.Append($"echo $$ > '{cgroup}/cgroup.procs'; ");
        }

        // Prefer a tmpfs over /run/systemd; where that directory does not exist, cover all of /run instead of
        // creating anything on the host.
        command.Append("mount -t tmpfs tmpfs /run/systemd 2>/dev/null || mount -t tmpfs tmpfs /run; ");
        command.Append("mkdir -p /run/systemd/system; ");
        command.Append($"exec {SystemdBinary} --user");
        return command.ToString();
    }

    private List<string> CreateCgroups()
    {
        var name = $"rbm-test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32];
        string[] hierarchies = Directory.Exists("/sys/fs/cgroup/unified")
            ? ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"]
            : File.Exists("/sys/fs/cgroup/cgroup.controllers") ? ["/sys/fs/cgroup"] : [];
        foreach (var hierarchy in hierarchies)
        {
            var path = Path.Combine(hierarchy, name);
            try
            {
                Directory.CreateDirectory(path);
                _cgroups.Add(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Read-only cgroupfs (some containers): run in our own cgroup; only one instance at a time is then safe.
                AppendLog($"fixture: cannot create cgroup {path}: {ex.Message}");
            }
        }

        return _cgroups;
    }

    private async Task WaitUntilManagerAnswersAsync()
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < StartTimeout)
        {
            if (_systemd!.HasExited)
            {
                throw new InvalidOperationException($"systemd --user exited with code {_systemd.ExitCode} while starting. Log:\n{Log}");
            }

            if (File.Exists(Path.Combine(RuntimeDirectory, "bus")))
            {
                try
                {
                    using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    using var manager = await SystemdManager.ConnectAsync(BusAddress, TimeProvider.System, attempt.Token);
                    return;
                }
                catch (Exception ex) when (ex is DBusExceptionBase or OperationCanceledException)
                {
                    last = ex;
                }
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"systemd --user did not answer on {BusAddress} within {StartTimeout}: {last?.Message}. Log:\n{Log}");
    }

    private string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>Kills anything left in the cgroup tree, then removes the directories bottom-up.</summary>
    private static void KillAndRemoveCgroup(string cgroup)
    {
        if (!Directory.Exists(cgroup))
        {
            return;
        }

        var directories = Directory.GetDirectories(cgroup, "*", SearchOption.AllDirectories)
            .OrderByDescending(d => d.Length)
            .Append(cgroup)
            .ToList();
        foreach (var directory in directories)
        {
            foreach (var pid in File.ReadAllLines(Path.Combine(directory, "cgroup.procs")))
            {
                NativeSignals.Send(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), NativeSignals.SigKill);
            }
        }

        foreach (var directory in directories)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                try
                {
                    Directory.Delete(directory);
                    break;
                }
                catch (IOException)
                {
                    // Busy until the killed processes are reaped.
                    Thread.Sleep(20);
                }
            }
        }
    }
}
