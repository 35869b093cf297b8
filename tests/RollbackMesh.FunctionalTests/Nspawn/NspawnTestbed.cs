using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Xunit;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// The nspawn testbed shared by a test collection: a Debian bookworm minbase rootfs built once and cached under
/// <see cref="CacheDirectory"/>, three containers booted from it with --volatile=overlay, each on its own veth
/// network, and the agent .deb from packaging/build.sh installed in each with dpkg -i.
/// Install failures are kept in <see cref="AgentInstallResults"/> (not thrown) so the test that checks them can
/// print dpkg's own output.
/// </summary>
public sealed class NspawnTestbed : IAsyncLifetime
{
    /// <summary>The agent's systemd unit.</summary>
    public const string AgentUnit = "rollbackmesh-agent.service";

    /// <summary>Where the rootfs is cached between runs (override with ROLLBACKMESH_NSPAWN_CACHE).</summary>
    public static readonly string CacheDirectory =
        Environment.GetEnvironmentVariable("ROLLBACKMESH_NSPAWN_CACHE") is { Length: > 0 } dir ? dir : "/var/tmp/rollbackmesh-nspawn";

    private static readonly TimeSpan RootfsTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(90);

    private readonly List<NspawnContainer> _containers = [];
    private readonly List<int> _subnetsInUse = [];
    private readonly string _runId = "r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private int _nextContainer;

    /// <summary>The three booted containers (empty when the testbed is unavailable; tests are then skipped).</summary>
    public IReadOnlyList<NspawnContainer> Containers { get; private set; } = [];

    /// <summary>The cached rootfs the containers share.</summary>
    public string RootFileSystem { get; private set; } = string.Empty;

    /// <summary>The agent .deb installed in every container.</summary>
    public string AgentPackagePath { get; private set; } = string.Empty;

    /// <summary>dpkg -i's result per container, in <see cref="Containers"/> order.</summary>
    public IReadOnlyList<CommandResult> AgentInstallResults { get; private set; } = [];

    /// <summary>How long each part of the set-up took (rootfs, package, boot, install), for the report.</summary>
    public IReadOnlyDictionary<string, TimeSpan> SetupTimes => _setupTimes;

    private readonly Dictionary<string, TimeSpan> _setupTimes = new(StringComparer.Ordinal);

    private string RunRoot => Path.Combine("/run/rollbackmesh-nspawn", _runId);

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (NspawnPrerequisites.MissingReason is not null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        // The rootfs and the package are independent: build them side by side.
        var rootfs = BuildRootFileSystemAsync();
        var package = AgentPackage.LocateOrBuildAsync();
        RootFileSystem = await Timed("rootfs", rootfs).ConfigureAwait(false);
        AgentPackagePath = await Timed("agent package", package).ConfigureAwait(false);
        _setupTimes["rootfs+package (parallel)"] = clock.Elapsed;

        clock.Restart();
        var booted = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartContainerAsync())).ConfigureAwait(false);
        _setupTimes["boot x3"] = clock.Elapsed;
        Containers = booted;

        clock.Restart();
        AgentInstallResults = await Task.WhenAll(booted.Select(c => c.InstallDebAsync(AgentPackagePath))).ConfigureAwait(false);
        _setupTimes["dpkg -i x3"] = clock.Elapsed;
    }

    /// <summary>
    /// Boots one more container from the same rootfs (for tests that need a clean node, e.g. the package
    /// lifecycle). The testbed stops it at the end unless the caller disposes it first.
    /// </summary>
    /// <param name="extraNspawnArguments">More systemd-nspawn arguments, e.g. "--bind-ro=/srv/repo:/srv/repo".</param>
    public async Task<NspawnContainer> StartContainerAsync(params string[] extraNspawnArguments)
    {
        int index;
        int subnet;
        lock (_subnetsInUse)
        {
            index = ++_nextContainer;
            subnet = FreeSubnet();
            _subnetsInUse.Add(subnet);
        }

        var spec = new NspawnContainerSpec(
            Name: $"rbm{_runId[1..]}n{index}",
            RootFileSystem: RootFileSystem,
            RunId: _runId,
            RunRoot: RunRoot,
            Subnet: subnet,
            StartScript: Path.Combine(RepositoryLayout.TestbedScripts, "start-container.sh"),
            ExtraArguments: extraNspawnArguments,
            BootTimeout: BootTimeout);
        var container = await NspawnContainer.StartAsync(spec).ConfigureAwait(false);
        lock (_containers)
        {
            _containers.Add(container);
        }

        return container;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await Task.WhenAll(_containers.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        _containers.Clear();
        try
        {
            Directory.Delete(RunRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static async Task<string> BuildRootFileSystemAsync()
    {
        var script = Path.Combine(RepositoryLayout.TestbedScripts, "build-rootfs.sh");
        var result = await ProcessRunner.RunAsync("bash", [script, CacheDirectory], timeout: RootfsTimeout).ConfigureAwait(false);
        return result.EnsureSuccess().StandardOutput.Trim();
    }

    private async Task<T> Timed<T>(string name, Task<T> task)
    {
        var clock = Stopwatch.StartNew();
        var value = await task.ConfigureAwait(false);
        _setupTimes[name] = clock.Elapsed;
        return value;
    }

    // A 10.231.N.0/24 that no interface on this host uses yet (other runs may have containers up).
    private int FreeSubnet()
    {
        var used = ProcessRunner.RunAsync("ip", ["-o", "-4", "addr", "show"]).GetAwaiter().GetResult().StandardOutput;
        var start = RandomNumberGenerator.GetInt32(1, 250);
        for (var i = 0; i < 250; i++)
        {
            var candidate = ((start + i) % 250) + 1;
            if (!_subnetsInUse.Contains(candidate) && !used.Contains($"10.231.{candidate.ToString(CultureInfo.InvariantCulture)}.", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no free 10.231.N.0/24 subnet for a container");
    }
}
