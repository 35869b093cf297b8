using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RollbackMesh.Coordinator.Fleet;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Starts the core: checks the option objects actually in use (also when a host registered its own instances),
/// routes agent events to the executor, and resumes every run the store holds as unfinished. Safe beside a host
/// that does the same by hand: attaching the same sink again changes nothing and a second resume finds nothing new.
/// </summary>
internal sealed partial class CoordinatorCoreStartup(
    AgentSessionHub hub,
    RunExecutor executor,
    FleetOptions fleetOptions,
    ExecutorOptions executorOptions,
    ILogger<CoordinatorCoreStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Check(new FleetOptionsValidator().Validate(null, fleetOptions), typeof(FleetOptions));
        Check(new ExecutorOptionsValidator().Validate(null, executorOptions), typeof(ExecutorOptions));
        hub.AttachSink(executor);
        var resumed = executor.ResumeUnfinished();
        if (resumed.Length > 0)
        {
            Log.Resumed(logger, resumed.Length, string.Join(", ", resumed));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Check(ValidateOptionsResult result, Type type)
    {
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, type, result.Failures ?? [result.FailureMessage]);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Resumed {Count} unfinished run(s): {Runs}")]
        public static partial void Resumed(ILogger logger, int count, string runs);
    }
}
