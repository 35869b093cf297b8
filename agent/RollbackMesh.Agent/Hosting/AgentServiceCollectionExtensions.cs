using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Actions.Services;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Enrollment;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Journal;
using RollbackMesh.Agent.Memory;
using RollbackMesh.Agent.Processes;
using RollbackMesh.Agent.Steps;
using RollbackMesh.Agent.Systemd;

namespace RollbackMesh.Agent.Hosting;

/// <summary>Registers the agent's services. Uses TryAdd so tests (and later wiring) can replace any piece first.</summary>
internal static class AgentServiceCollectionExtensions
{
    /// <summary>Adds the connection loop, health reporting and the systemd integration.</summary>
    public static IServiceCollection AddAgentServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AgentFailure>();
        // AddSystemd registers the notifier only under systemd; outside it this one has no $NOTIFY_SOCKET and is disabled.
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.TryAddSingleton(_ => new WatchdogInterval(WatchdogSettings.FromEnvironment()));
        services.TryAddSingleton<ConnectionMonitor>();
        services.TryAddSingleton<LastStepTracker>();
        services.TryAddSingleton<AgentOutbox>();
        services.TryAddSingleton<ToolRunner>();
        services.TryAddSingleton(_ => new ReconnectBackoff());
        services.TryAddSingleton(sp => new SystemdConnection(Options(sp).SystemBusAddress, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IUnitStateReader>(sp => new DBusUnitStateReader(sp.GetRequiredService<SystemdConnection>()));
        services.TryAddSingleton(sp => new StepJournal(Options(sp).JournalPath));
        services.TryAddSingleton(sp => new StepRunner(ActionOptionsMapper.From(Options(sp)), sp.GetRequiredService<StepJournal>(),
            new SystemdServiceController(sp.GetRequiredService<SystemdConnection>()), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StepRunner>>()));
        services.TryAddSingleton<IStepExecutor, StepRunnerExecutor>();
        services.TryAddSingleton<IJournalReader, StepRunnerJournalReader>();
        services.TryAddSingleton<EnrollmentClient>();
        services.TryAddSingleton<AgentCredentials>();
        services.TryAddSingleton<IHubConnector, GrpcHubConnector>();
        services.TryAddSingleton(sp => HealthCollector.Create(Options(sp), sp.GetRequiredService<IUnitStateReader>(),
            sp.GetRequiredService<ToolRunner>(), sp.GetRequiredService<LastStepTracker>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<HealthReporter>();
        services.TryAddSingleton(sp => new HelloFactory(Options(sp), sp.GetRequiredService<IStepExecutor>()));
        services.TryAddSingleton<StepDispatcher>();
        services.TryAddSingleton<HubSession>();
        services.AddHostedService<SystemdNotifyService>();
        services.AddHostedService<AgentConnectionService>();
        services.AddHostedService<CertificateRenewalService>();
        services.AddHostedService(sp => new IdleFootprintService(sp.GetRequiredService<ConnectionMonitor>(), sp.GetRequiredService<StepDispatcher>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IdleFootprintService>>()));
        return services;
    }

    private static AgentOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<AgentOptions>>().Value;
}
