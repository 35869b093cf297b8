using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;
using RollbackMesh.Agent.Configuration;

namespace RollbackMesh.Agent.Logging;

/// <summary>
/// Builds the agent's Serilog pipeline: the console in journald form (each line with its sd-daemon priority prefix),
/// and an optional plain-text file. Hosting.Systemd's journald console format applies to Microsoft's console logger,
/// which the agent does not use; <see cref="JournaldTextFormatter"/> is its counterpart for Serilog.
/// </summary>
internal static class AgentLogging
{
    /// <summary>Creates the Serilog logger for <paramref name="options"/>; <paramref name="underJournal"/> drops timestamps.</summary>
    public static Serilog.Core.Logger CreateLogger(AgentOptions options, bool underJournal)
    {
        var level = Enum.TryParse<LogEventLevel>(options.LogLevel, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information);
        var formatter = new JournaldTextFormatter(includeTimestamp: !underJournal);
        configuration = configuration.WriteTo.Console(formatter);
        if (!string.IsNullOrEmpty(options.LogFile))
        {
            var fileFormat = new MessageTemplateTextFormatter(
                "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            configuration = configuration.WriteTo.File(fileFormat, options.LogFile, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 7);
        }

        return configuration.CreateLogger();
    }

    /// <summary>
    /// Makes Serilog the host's logger factory (Serilog.Extensions.Hosting): levels are Serilog's alone, and the logger
    /// is disposed, so flushed, with the host.
    /// </summary>
    public static void Configure(IServiceCollection services, Serilog.Core.Logger logger) => services.AddSerilog(logger, dispose: true);

    /// <summary>True when stdout/stderr are connected to the journal (systemd sets JOURNAL_STREAM).</summary>
    public static bool IsUnderJournal() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));
}
