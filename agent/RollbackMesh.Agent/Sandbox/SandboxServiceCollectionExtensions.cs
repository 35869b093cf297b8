using Microsoft.Extensions.Configuration;
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

namespace RollbackMesh.Agent.Sandbox;

/// <summary>
/// Registers the sandbox pieces when agent.yaml has <c>sandbox.root</c> (simulated nodes for `rollbackmesh demo` and
/// the fleet tests); without that key nothing is registered and the agent uses systemd over D-Bus. Must run before
/// AddAgentServices, whose TryAdd registrations then leave these in place.
/// </summary>
internal static class SandboxServiceCollectionExtensions
{
    /// <summary>The configuration key that selects sandbox mode.</summary>
    public const string RootKey = AgentOptions.SectionName + ":sandbox:root";

    /// <summary>Adds the sandbox step executor, service controller and unit reader if <see cref="RootKey"/> is set.</summary>
    public static IServiceCollection AddSandboxWhenConfigured(this IServiceCollection services, IConfiguration configuration)
    {
        var path = configuration[RootKey];
        if (string.IsNullOrEmpty(path))
        {
            return services;
        }

        var root = new SandboxRoot(path);
        services.AddSingleton<IValidateOptions<AgentOptions>>(new SandboxRootValidator(path));
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
