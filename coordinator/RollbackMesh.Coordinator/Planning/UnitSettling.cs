using System.Globalization;
using RollbackMesh.Coordinator.Fleet;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// A <c>unit_active</c> gate check with <c>stable_for</c>: "active" alone is a snapshot. The K3s install script's units
/// have <c>Restart=always</c> (RestartSec=5s), so a k3s agent that keeps failing and exiting is reported "active" for a
/// moment after every restart. With a settle time the unit counts only once the gate has seen it active, with the same
/// systemd restart count (NRestarts), in every report over at least that long; a report showing it not active or
/// restarted starts the wait over. One instance per gate evaluation keeps what that gate has seen.
/// </summary>
internal sealed class UnitSettling
{
    private readonly Dictionary<(string Node, string Unit), (DateTimeOffset Since, uint Restarts)> _steady = [];

    /// <summary>The settle time as a gate check argument (invariant constant format, e.g. 00:00:30).</summary>
    public static string Format(TimeSpan settle) => settle.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>" (stable for 00:00:30)" for the plan text; empty without a settle time.</summary>
    public static string Describe(string argument) => argument.Length == 0 ? "" : $" (stable for {argument}, no restart)";

    /// <summary>
    /// Null when <paramref name="unit"/> (reported by <paramref name="node"/> in <paramref name="health"/>) is active
    /// and, for a check with a settle time, has been steady for it; else what is still missing.
    /// </summary>
    public string? Check(string node, GateCheck check, UnitStatus unit, NodeHealth health)
    {
        var key = (node, check.Target);
        if (unit.ActiveState != "active")
        {
            _steady.Remove(key);
            return $"unit {check.Target} is {unit.ActiveState}/{unit.SubState}";
        }

        if (check.Argument.Length == 0)
        {
            return null;
        }

        if (!TimeSpan.TryParseExact(check.Argument, "c", CultureInfo.InvariantCulture, out var settle))
        {
            return $"unit {check.Target}: settle time '{check.Argument}' is not a duration";
        }

        if (!_steady.TryGetValue(key, out var seen) || seen.Restarts != unit.Restarts)
        {
            var restarted = _steady.ContainsKey(key);
            _steady[key] = seen = (health.ReceivedAt, unit.Restarts);
            if (restarted)
            {
                return $"unit {check.Target} was restarted by systemd (restart count {unit.Restarts}); waiting for it to stay active for {settle}";
            }
        }

        var steady = health.ReceivedAt - seen.Since;
        return steady >= settle
            ? null
            : $"unit {check.Target} active for {steady.TotalSeconds:0.#} s without a restart; it must stay so for {settle}";
    }
}
