using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RollbackMesh.Coordinator.Fleet;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Starts the core: checks the option objects actually in use (also when a host registered its own instances) and
/// resumes every run the store holds as unfinished. Safe beside a host that does the same by hand: a second resume
/// finds nothing new.
/// </summary>
internal sealed partial class CoordinatorCoreStartup(IServiceProvider services, ILogger<CoordinatorCoreStartup> logger) : IHostedService
{
    // The parts are resolved at start, not in the constructor: hosts build hosted services before they run the
    // ValidateOnStart checks, and resolving the options here first would skip those checks' complete report.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        failures.AddRange(Failures(new FleetOptionsValidator().Validate(null, services.GetRequiredService<FleetOptions>())));
        failures.AddRange(Failures(new ExecutorOptionsValidator().Validate(null, services.GetRequiredService<ExecutorOptions>())));
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ExecutorOptions), failures);
        }

        var executor = services.GetRequiredService<RunExecutor>();
        var resumed = executor.ResumeUnfinished();
        if (resumed.Length > 0)
        {
            Log.Resumed(logger, resumed.Length, string.Join(", ", resumed));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<string> Failures(ValidateOptionsResult result) =>
        result.Failed ? result.Failures ?? [result.FailureMessage] : [];

    private static partial class Log
    {
        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Resumed {Count} unfinished run(s): {Runs}")]
        public static partial void Resumed(ILogger logger, int count, string runs);
    }
}
