using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Coordinator.Metrics;
using RollbackMesh.Coordinator.Runbooks;
using Serilog;
using Serilog.Events;

namespace RollbackMesh.Coordinator.Commands;

/// <summary>
/// Runs the coordinator process: Serilog to stderr, runbooks loaded up front (each refused file logged with every
/// problem it has, the others offered), the host started,
/// then one line on stdout — <c>listening on http://ADDR:PORT</c> — that scripts and tests read (followed by
/// <c>metrics on http://ADDR:PORT/metrics</c> with --metrics-listen), then until SIGTERM.
/// </summary>
internal static class CoordinatorProcess
{
    public static async Task<int> RunAsync(CoordinatorHostOptions options)
    {
        // stdout carries only the "listening on" line; logs go to stderr (journald keeps both).
        // The overrides quieten ASP.NET Core and keep the host's lifetime lines; a higher logLevel still wins over both.
        var level = options.Log.Level;
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft.AspNetCore", Max(LogEventLevel.Warning, level))
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", Max(LogEventLevel.Information, level))
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: CultureInfo.InvariantCulture);
        if (options.Log.File is { } file)
        {
            configuration = configuration.WriteTo.File(file, formatProvider: CultureInfo.InvariantCulture);
        }

        var serilog = configuration.CreateLogger();
        try
        {
            RunbookCatalog catalog;
            try
            {
                catalog = RunbookCatalog.Load(options.RunbookDirectories, options.RunbookLimits);
            }
            catch (RunbookValidationException ex)
            {
                await Console.Error.WriteLineAsync("rollbackmesh-coordinator: " + ex.Message).ConfigureAwait(false);
                return CoordinatorExitCodes.Config;
            }

            // Serilog.Extensions.Hosting: Serilog becomes the host's logger factory; this method disposes the logger.
            await using var app = CoordinatorApp.Build(options, catalog, logging => logging.Services.AddSerilog(serilog));
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RollbackMesh.Coordinator");
            await app.StartAsync().ConfigureAwait(false);

            var address = CoordinatorApp.BoundAddress(app).ToString().TrimEnd('/');
            await Console.Out.WriteLineAsync("listening on " + address).ConfigureAwait(false);
            await Console.Out.FlushAsync().ConfigureAwait(false);
            CoordinatorLog.Listening(logger, address, options.DataDirectory);
            if (app.Services.GetService<MetricsServer>()?.Address is { } metrics)
            {
                await Console.Out.WriteLineAsync("metrics on " + metrics).ConfigureAwait(false);
                await Console.Out.FlushAsync().ConfigureAwait(false);
            }

            await app.WaitForShutdownAsync().ConfigureAwait(false);
            CoordinatorLog.Stopped(logger);
            return CoordinatorExitCodes.Success;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException)
        {
            serilog.Fatal(ex, "The coordinator could not start");
            return ex is System.Security.Cryptography.CryptographicException ? CoordinatorExitCodes.Config : CoordinatorExitCodes.Failure;
        }
        finally
        {
            await serilog.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static LogEventLevel Max(LogEventLevel a, LogEventLevel b) => a > b ? a : b;
}
