using Microsoft.Extensions.Options;

namespace RollbackMesh.Coordinator.Fleet;

/// <summary>Checks <see cref="FleetOptions"/> and reports every problem at once.</summary>
internal sealed class FleetOptionsValidator : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions options)
    {
        var problems = new List<string>();
        if (options.HealthInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add($"Fleet.HealthInterval must be at least 1 s (agents are told whole seconds); it is {options.HealthInterval}.");
        }

        if (options.MissedReportsBeforeStale < 1)
        {
            problems.Add($"Fleet.MissedReportsBeforeStale must be at least 1; it is {options.MissedReportsBeforeStale}.");
        }

        if (options.NodeTimeout is { } timeout && timeout < options.HealthInterval)
        {
            problems.Add($"Fleet.NodeTimeout must be at least the health interval {options.HealthInterval}; it is {timeout}.");
        }

        if (options.HealthHistoryLength < 1)
        {
            problems.Add($"Fleet.HealthHistoryLength must be at least 1; it is {options.HealthHistoryLength}.");
        }

        if (options.LastSeenPersistInterval < TimeSpan.Zero)
        {
            problems.Add($"Fleet.LastSeenPersistInterval must not be negative; it is {options.LastSeenPersistInterval}.");
        }

        if (string.IsNullOrWhiteSpace(options.CoordinatorVersion))
        {
            problems.Add("Fleet.CoordinatorVersion must not be empty.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
