using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Hosting;
using RollbackMesh.Agent.Journal;
using RollbackMesh.Agent.Steps;

namespace RollbackMesh.Demo.Sandbox;

/// <summary>
/// Registers the sandbox pieces of a simulated node (the demo and the fleet tests) through the agent's own seams: the
/// step executor rebases paths under the root, the stand-in service controller replaces systemd over D-Bus, and the
/// step runner gets the rebased action options. Runs before AddAgentServices (AgentProgram's addServicesFirst), whose
/// TryAdd registrations then leave these in place. The packaged agent never carries them.
/// </summary>
internal static class SandboxServiceCollectionExtensions
{
    /// <summary>Adds the sandbox step executor, service controller and unit reader for <paramref name="root"/>.</summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services, SandboxRoot root)
    {
        services.AddSingleton<IValidateOptions<AgentOptions>>(new SandboxRootValidator(root.Path));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(root);
        services.TryAddSingleton(sp => new SandboxServiceController(root, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IUnitStateReader>(sp => sp.GetRequiredService<SandboxServiceController>());
        services.TryAddSingleton(sp => new StepJournal(sp.GetRequiredService<IOptions<AgentOptions>>().Value.JournalPath));
        services.TryAddSingleton(sp => new StepRunner(
            root.Apply(ActionOptionsMapper.From(sp.GetRequiredService<IOptions<AgentOptions>>().Value)),
            sp.GetRequiredService<StepJournal>(), sp.GetRequiredService<SandboxServiceController>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StepRunner>>()));
        services.TryAddSingleton<IStepExecutor>(sp => new SandboxStepExecutor(new StepRunnerExecutor(sp.GetRequiredService<StepRunner>()), root));
        return services;
    }
}
