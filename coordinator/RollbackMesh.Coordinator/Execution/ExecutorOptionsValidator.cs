using Microsoft.Extensions.Options;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>Checks <see cref="ExecutorOptions"/> and reports every problem at once.</summary>
internal sealed class ExecutorOptionsValidator : IValidateOptions<ExecutorOptions>
{
    public ValidateOptionsResult Validate(string? name, ExecutorOptions options)
    {
        var problems = new List<string>();
        if (!Path.IsPathFullyQualified(options.QuarantinePath))
        {
            problems.Add($"Executor.QuarantinePath must be an absolute path; it is '{options.QuarantinePath}'.");
        }

        Positive(options.GatePollInterval, "GatePollInterval");
        Positive(options.ReconnectTimeout, "ReconnectTimeout");
        Positive(options.JournalTimeout, "JournalTimeout");
        Positive(options.DryRunTimeout, "DryRunTimeout");
        if (options.TimeoutGrace < TimeSpan.Zero)
        {
            problems.Add($"Executor.TimeoutGrace must not be negative; it is {options.TimeoutGrace}.");
        }

        AtLeastOne(options.PreflightConcurrency, "PreflightConcurrency");
        AtLeastOne(options.DryRunConcurrency, "DryRunConcurrency");
        if (string.IsNullOrWhiteSpace(options.CoordinatorIdentity))
        {
            problems.Add("Executor.CoordinatorIdentity must not be empty.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);

        void Positive(TimeSpan value, string option)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"Executor.{option} must be positive; it is {value}.");
            }
        }

        void AtLeastOne(int value, string option)
        {
            if (value < 1)
            {
                problems.Add($"Executor.{option} must be at least 1; it is {value}.");
            }
        }
    }
}
