using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Health;

/// <summary>
/// Component versions: `k3s --version` and `calico-felix --version` when those binaries are installed, and the
/// installed version of each configured package from dpkg-query (Debian family) or rpm -q (RHEL family).
/// An absent binary or package is reported as "not-installed"; a tool that fails or prints no version is a problem.
/// </summary>
internal sealed partial class VersionProbe
{
    /// <summary>What an absent component or package is reported as.</summary>
    public const string NotInstalled = "not-installed";

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(10);
    private static readonly string[] Components = ["k3s", "calico-felix"];

    private readonly ToolRunner _runner;
    private readonly IReadOnlyDictionary<string, string> _toolPaths;
    private readonly IReadOnlyList<string> _packages;

    /// <summary>Creates the probe from the configured tool paths and package names.</summary>
    public VersionProbe(ToolRunner runner, AgentOptions options)
    {
        _runner = runner;
        _toolPaths = options.ToolPaths;
        _packages = options.Packages;
    }

    /// <summary>Collects every version; never throws for a failing tool.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ProbeAsync(ICollection<string> problems, CancellationToken cancellationToken)
    {
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var component in Components)
        {
            if (!_toolPaths.TryGetValue(component, out var path) || !File.Exists(path))
            {
                versions[component] = NotInstalled;
                continue;
            }

            var result = await RunAsync(path, ["--version"], component, problems, cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                continue;
            }

            var version = VersionText.Find(result.StandardOutput + "\n" + result.StandardError);
            if (result.Succeeded && version is not null)
            {
                versions[component] = version;
            }
            else
            {
                problems.Add($"version {component}: `{path} --version` exited {result.ExitCode} without a version ({Shorten(result.CombinedOutput)})");
            }
        }

        await ProbePackagesAsync(versions, problems, cancellationToken).ConfigureAwait(false);
        return versions;
    }

    private async Task ProbePackagesAsync(IDictionary<string, string> versions, ICollection<string> problems, CancellationToken cancellationToken)
    {
        if (_packages.Count == 0)
        {
            return;
        }

        var dpkg = _toolPaths.GetValueOrDefault("dpkg-query");
        var rpm = _toolPaths.GetValueOrDefault("rpm");
        var useDpkg = dpkg is not null && File.Exists(dpkg);
        if (!useDpkg && (rpm is null || !File.Exists(rpm)))
        {
            problems.Add("version packages: neither dpkg-query nor rpm is installed at the configured paths");
            return;
        }

        foreach (var package in _packages)
        {
            // dpkg-query: a package removed but not purged has a version but status "deinstall ... config-files".
            var result = useDpkg
                ? await RunAsync(dpkg!, ["-W", "-f=${db:Status-Status} ${Version}", package], package, problems, cancellationToken).ConfigureAwait(false)
                : await RunAsync(rpm!, ["-q", "--qf", "%{VERSION}-%{RELEASE}", package], package, problems, cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                continue;
            }

            versions[package] = (useDpkg, result.ExitCode, result.StandardOutput.Trim()) switch
            {
                (true, 0, var text) when text.StartsWith("installed ", StringComparison.Ordinal) => text["installed ".Length..],
                (true, 0 or 1, _) => NotInstalled,
                (false, 0, var text) when text.Length > 0 => text,
                (false, 1, _) => NotInstalled,
                _ => Fail(problems, package, result),
            };
        }
    }

    private static string Fail(ICollection<string> problems, string package, ToolResult result)
    {
        problems.Add($"version {package}: package query exited {result.ExitCode} ({Shorten(result.CombinedOutput)})");
        return "unknown";
    }

    private async Task<ToolResult?> RunAsync(string path, string[] arguments, string what, ICollection<string> problems, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ToolTimeout);
        try
        {
            return await _runner.RunAsync(new ToolInvocation { FileName = path, Arguments = arguments }, null, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            problems.Add($"version {what}: `{path}` did not finish within {ToolTimeout.TotalSeconds:0} s");
        }
        catch (ToolStartException ex)
        {
            problems.Add($"version {what}: cannot run `{path}` ({ex.Message})");
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
