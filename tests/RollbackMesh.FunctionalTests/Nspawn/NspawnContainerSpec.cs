namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>What <see cref="NspawnContainer"/> needs to boot one container.</summary>
/// <param name="Name">Machine name; at most 12 characters so that "ve-" + name fits an interface name.</param>
/// <param name="RootFileSystem">The shared rootfs (used through --volatile=overlay, never written).</param>
/// <param name="RunId">This run's id: the cgroup parent, so runs never touch each other's containers.</param>
/// <param name="RunRoot">Directory for per-container run files (console log, bus socket).</param>
/// <param name="Subnet">Third octet of the container's 10.231.N.0/24 veth network.</param>
/// <param name="StartScript">tests/testbeds/nspawn/start-container.sh.</param>
/// <param name="ExtraArguments">More systemd-nspawn arguments, e.g. --bind-ro=HOST:CONTAINER.</param>
/// <param name="BootTimeout">Time limit for the boot to finish.</param>
internal sealed record NspawnContainerSpec(
    string Name,
    string RootFileSystem,
    string RunId,
    string RunRoot,
    int Subnet,
    string StartScript,
    IReadOnlyList<string> ExtraArguments,
    TimeSpan BootTimeout);
