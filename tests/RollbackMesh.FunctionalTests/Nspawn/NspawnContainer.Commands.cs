using System.Globalization;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>Commands, files and units inside the container.</summary>
public sealed partial class NspawnContainer
{
    /// <summary>Runs <paramref name="command"/> inside the container (all its namespaces, a clean environment) and returns its result without checking it.</summary>
    public Task<CommandResult> ExecAsync(params string[] command) => ExecAsync(command, standardInput: null, timeout: null);

    /// <summary>Runs <paramref name="command"/> inside the container with optional stdin and time limit.</summary>
    public Task<CommandResult> ExecAsync(IEnumerable<string> command, byte[]? standardInput, TimeSpan? timeout) =>
        ProcessRunner.RunAsync("nsenter", NsenterAll().Concat(CleanEnvironment).Concat(command), standardInput, timeout);

    /// <summary>Runs a shell snippet inside the container with /bin/sh -c.</summary>
    public Task<CommandResult> ShellAsync(string script, TimeSpan? timeout = null) =>
        ExecAsync(["/bin/sh", "-c", script], standardInput: null, timeout);

    /// <summary>Writes <paramref name="content"/> to <paramref name="containerPath"/> (parents created) with <paramref name="mode"/>.</summary>
    public Task WriteFileAsync(string containerPath, byte[] content, string mode = "0644") =>
        ExecAsync(
            ["/bin/sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && cat >\"$1\" && chmod \"$2\" \"$1\"", "sh", containerPath, mode],
            content,
            timeout: null).ContinueWith(task => task.Result.EnsureSuccess(), TaskScheduler.Default);

    /// <summary>Writes UTF-8 text to <paramref name="containerPath"/>.</summary>
    public Task WriteFileAsync(string containerPath, string content, string mode = "0644") =>
        WriteFileAsync(containerPath, ProcessRunner.Utf8(content), mode);

    /// <summary>Copies a host file into the container.</summary>
    public async Task CopyFileInAsync(string hostPath, string containerPath, string mode = "0644") =>
        await WriteFileAsync(containerPath, await File.ReadAllBytesAsync(hostPath).ConfigureAwait(false), mode).ConfigureAwait(false);

    /// <summary>Copies a host directory tree into the container (tar through a pipe; modes kept).</summary>
    public async Task CopyDirectoryInAsync(string hostDirectory, string containerDirectory)
    {
        var tarPath = Path.GetTempFileName();
        try
        {
            (await ProcessRunner.RunAsync("tar", ["-C", hostDirectory, "-cf", tarPath, "."]).ConfigureAwait(false)).EnsureSuccess();
            (await ExecAsync(
                ["/bin/sh", "-c", "mkdir -p \"$1\" && tar -C \"$1\" -xf -", "sh", containerDirectory],
                await File.ReadAllBytesAsync(tarPath).ConfigureAwait(false),
                timeout: null).ConfigureAwait(false)).EnsureSuccess();
        }
        finally
        {
            File.Delete(tarPath);
        }
    }

    /// <summary>Reads a file inside the container as UTF-8 text; throws when it cannot be read.</summary>
    public async Task<string> ReadFileAsync(string containerPath) =>
        (await ExecAsync("cat", "--", containerPath).ConfigureAwait(false)).EnsureSuccess().StandardOutput;

    /// <summary>True when <paramref name="containerPath"/> exists inside the container (any file type).</summary>
    public async Task<bool> ExistsAsync(string containerPath) =>
        (await ExecAsync("test", "-e", containerPath).ConfigureAwait(false)).Succeeded;

    /// <summary>Runs systemctl inside the container (talks to its systemd over the private socket).</summary>
    public Task<CommandResult> SystemctlAsync(params string[] arguments) =>
        ExecAsync(["systemctl", .. arguments], standardInput: null, timeout: null);

    /// <summary>Reads one property of a unit (LoadState, ActiveState, SubState, UnitFileState, MainPID, ...).</summary>
    public async Task<string> GetUnitPropertyAsync(string unit, string property) =>
        (await SystemctlAsync("show", "--property", property, "--value", unit).ConfigureAwait(false))
            .EnsureSuccess().StandardOutput.Trim();

    /// <summary>
    /// Sends <paramref name="signal"/> to a unit's processes, by default to its main process only (so a package
    /// manager the agent started keeps running, as with the unit's KillMode=process).
    /// </summary>
    public async Task KillUnitAsync(string unit, string signal = "SIGKILL", string whom = "main") =>
        (await SystemctlAsync("kill", "--signal", signal, "--kill-who", whom, unit).ConfigureAwait(false)).EnsureSuccess();

    /// <summary>Kills the agent's main process (SIGKILL unless told otherwise); Restart=on-failure brings it back.</summary>
    public Task KillAgentAsync(string signal = "SIGKILL") => KillUnitAsync(NspawnTestbed.AgentUnit, signal);

    /// <summary>Installs a .deb from the host with dpkg -i (offline; dependencies must already be in the rootfs).</summary>
    public async Task<CommandResult> InstallDebAsync(string hostDebPath, params string[] dpkgOptions)
    {
        var inside = "/var/tmp/" + Path.GetFileName(hostDebPath);
        await CopyFileInAsync(hostDebPath, inside).ConfigureAwait(false);
        return await ExecAsync(["dpkg", .. dpkgOptions, "-i", inside], standardInput: null, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
    }

    private string[] NsenterAll() => ["-t", LeaderPid.ToString(CultureInfo.InvariantCulture), "-a", "--"];

    private async Task ConfigureNetworkAsync()
    {
        // The host runs no networkd: address both ends of the veth from here (host0 with the host's `ip` inside the
        // container's network namespace only).
        var pid = LeaderPid.ToString(CultureInfo.InvariantCulture);
        var hostSide = "ve-" + Name;
        (await ProcessRunner.RunAsync("ip", ["addr", "add", HostAddress + "/24", "dev", hostSide]).ConfigureAwait(false)).EnsureSuccess();
        (await ProcessRunner.RunAsync("ip", ["link", "set", hostSide, "up"]).ConfigureAwait(false)).EnsureSuccess();
        (await ProcessRunner.RunAsync("nsenter", ["-t", pid, "-n", "ip", "addr", "add", Address + "/24", "dev", "host0"]).ConfigureAwait(false)).EnsureSuccess();
        (await ProcessRunner.RunAsync("nsenter", ["-t", pid, "-n", "ip", "link", "set", "host0", "up"]).ConfigureAwait(false)).EnsureSuccess();
        (await ProcessRunner.RunAsync("nsenter", ["-t", pid, "-n", "ip", "link", "set", "lo", "up"]).ConfigureAwait(false)).EnsureSuccess();
        (await ProcessRunner.RunAsync("nsenter", ["-t", pid, "-n", "ip", "route", "add", "default", "via", HostAddress]).ConfigureAwait(false)).EnsureSuccess();
    }

    private async Task WaitForBootAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        CommandResult? last = null;
        while (DateTime.UtcNow < deadline)
        {
            // Fails at once while systemd's private socket does not exist yet; blocks until the boot ends after that.
            last = await ExecAsync(["systemctl", "is-system-running", "--wait"], standardInput: null, timeout).ConfigureAwait(false);
            var state = last.StandardOutput.Trim();
            if (state is "running" or "degraded")
            {
                if (state == "degraded")
                {
                    var failed = await SystemctlAsync("--failed", "--no-legend", "--plain").ConfigureAwait(false);
                    throw new InvalidOperationException($"container {Name} booted degraded; failed units:\n{failed.StandardOutput}");
                }

                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"container {Name} did not finish booting within {timeout}: {last?.StandardOutput}{last?.StandardError}\n{ReadLog(_runDirectory)}");
    }
}
