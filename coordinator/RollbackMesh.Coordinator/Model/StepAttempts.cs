using System.Globalization;

namespace RollbackMesh.Coordinator.Model;

/// <summary>
/// The agent-side id of a step's attempt. The agent journals steps by (run id, step id) and answers a resent id with
/// the recorded outcome, which is what makes resends safe; a retry must therefore send a new id, or the agent would
/// only repeat the failure. Attempt 1 is the plan's step id itself (what every run before retries existed sent);
/// attempt N is <c>STEP#attemptN</c>. Updates, cancels and journal entries map back to the plan step through
/// <see cref="TryParse"/>.
/// </summary>
internal static class StepAttempts
{
    private const string Separator = "#attempt";

    public static string WireId(string stepId, int attempt) =>
        attempt <= 1 ? stepId : string.Create(CultureInfo.InvariantCulture, $"{stepId}{Separator}{attempt}");

    /// <summary>
    /// Splits an agent-side id into the plan step id and the attempt, given the plan's step ids (an id the plan has
    /// is attempt 1 even if it happens to end like a suffix). False when the id names no step of the plan.
    /// </summary>
    public static bool TryParse(string wireId, Func<string, bool> isPlanStep, out string stepId, out int attempt)
    {
        if (isPlanStep(wireId))
        {
            (stepId, attempt) = (wireId, 1);
            return true;
        }

        var at = wireId.LastIndexOf(Separator, StringComparison.Ordinal);
        if (at > 0
            && int.TryParse(wireId.AsSpan(at + Separator.Length), NumberStyles.None, CultureInfo.InvariantCulture, out attempt)
            && attempt > 1
            && isPlanStep(wireId[..at])
            && WireId(wireId[..at], attempt) == wireId)
        {
            stepId = wireId[..at];
            return true;
        }

        (stepId, attempt) = ("", 0);
        return false;
    }
}
