using System.Diagnostics;

namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// A real dbus-daemon on a private socket, started once per test class and killed afterwards. Fails loudly when
/// dbus-daemon is missing (install it with tests/install-test-deps.sh).
/// </summary>
public sealed class DBusDaemonFixture : IDisposable
{
    private readonly Process _daemon;
    private readonly string _directory;

    public DBusDaemonFixture()
    {
        _directory = Directory.CreateTempSubdirectory("rbm-dbus-").FullName;
        var start = new ProcessStartInfo("dbus-daemon")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--session", "--print-address", "--nofork", "--nopidfile", $"--address=unix:path={_directory}/bus" })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            _daemon = Process.Start(start) ?? throw new InvalidOperationException("dbus-daemon did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("dbus-daemon is not installed; run tests/install-test-deps.sh.", ex);
        }

        var line = _daemon.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        if (string.IsNullOrEmpty(line))
        {
            var error = _daemon.StandardError.ReadToEnd();
            Dispose();
            throw new InvalidOperationException($"dbus-daemon printed no address: {error}");
        }

        Address = line.Trim();
    }

    /// <summary>The address dbus-daemon printed, e.g. <c>unix:path=/tmp/rbm-dbus-x/bus,guid=...</c>.</summary>
    public string Address { get; } = "";

    public void Dispose()
    {
        if (!_daemon.HasExited)
        {
            _daemon.Kill();
            _daemon.WaitForExit(5000);
        }

        _daemon.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
