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
    // Since when each unit has been seen active with its current restart count, and whether that count changed during the gate.
    private static readonly DateTimeOffset SeenDown = DateTimeOffset.MaxValue;

    private readonly Dictionary<(string Node, string Unit), (DateTimeOffset Since, uint Restarts, bool Restarted)> _steady = [];

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
            // Seen down: the next active report starts the settle time over (a restart if it had been seen up).
            if (check.Argument.Length > 0)
            {
                var restarted = _steady.TryGetValue(key, out var before) && (before.Restarted || before.Since != SeenDown);
                _steady[key] = (SeenDown, uint.MaxValue, restarted);
            }

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

        if (!_steady.TryGetValue(key, out var seen))
        {
            _steady[key] = seen = (health.ReceivedAt, unit.Restarts, Restarted: false);
        }
        else if (seen.Restarts != unit.Restarts)
        {
            // Restarted by systemd, or up again after a report showed it down.
            _steady[key] = seen = (health.ReceivedAt, unit.Restarts, Restarted: seen.Restarted || seen.Since != SeenDown);
        }

        var steady = health.ReceivedAt - seen.Since;
        if (steady >= settle)
        {
            return null;
        }

        return seen.Restarted
            ? $"unit {check.Target} was restarted by systemd during the gate (restart count {unit.Restarts}); active for {steady.TotalSeconds:0.#} s since, it must stay so for {settle}"
            : $"unit {check.Target} active for {steady.TotalSeconds:0.#} s; it must stay active with no restart for {settle}";
    }
}
