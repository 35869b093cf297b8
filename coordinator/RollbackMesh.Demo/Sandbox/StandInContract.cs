namespace RollbackMesh.Demo.Sandbox;

/// <summary>
/// The stand-in contract of a sandbox node, in one place: the node paths (under the node's sandbox root) and names
/// that the agent's sandbox mode, the demo's stand-in scripts and fleet builder (coordinator/RollbackMesh.Demo) and
/// the functional tests read and write. A stand-in exists only for what cannot run here (systemd, k3s, kubectl).
/// </summary>
internal static class StandInContract
{
    /// <summary>Where unit files live; a unit exists on a sandbox node when UNIT.service is here, as systemd would load it.</summary>
    public const string UnitFileDirectory = "/etc/systemd/system";

    /// <summary>One file per unit holding "ActiveState SubState", written by the stand-in service controller and k3s-killall.sh.</summary>
    public const string UnitStateDirectory = "/run/systemd-standin";

    /// <summary>Where the stand-ins log what they did.</summary>
    public const string LogDirectory = "/var/log/rollbackmesh-standin";

    /// <summary>Every systemd job the stand-in service controller ran: "MILLISECONDS operation unit result state" per line.</summary>
    public const string ServiceJobLog = LogDirectory + "/services.log";

    /// <summary>Every call of a stand-in tool (k3s, k3s-killall.sh, kubectl): "MILLISECONDS tool arguments" per line.</summary>
    public const string ToolCallLog = LogDirectory + "/calls.log";

    /// <summary>The agent's step journal on a sandbox node (agent.yaml journalPath, under the root).</summary>
    public const string JournalPath = "/var/lib/rollbackmesh/journal.db";

    /// <summary>The agent's quarantine on a sandbox node (agent.yaml quarantinePath, under the root); the coordinator's
    /// preflight looks for the disk holding it by this node path.</summary>
    public const string QuarantinePath = "/var/lib/rollbackmesh/quarantine";

    /// <summary>The file of <paramref name="unit"/> (a base name, without .service) as a node path.</summary>
    public static string UnitFile(string unit) => $"{UnitFileDirectory}/{unit}.service";

    /// <summary>The state file of <paramref name="unit"/> (a base name) as a node path.</summary>
    public static string UnitStateFile(string unit) => $"{UnitStateDirectory}/{unit}";
}
