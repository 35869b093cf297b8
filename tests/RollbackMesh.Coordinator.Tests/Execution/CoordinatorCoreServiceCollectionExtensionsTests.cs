using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using RollbackMesh.Coordinator.Tests.Operators;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class CoordinatorCoreServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-core-").FullName;

    private IHost Build(Action<ExecutorOptions>? executor = null, Action<FleetOptions>? fleet = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IPlanSource, StandInPlanSource>();
        builder.Services.AddCoordinatorCore(Path.Combine(_directory, "data", "coordinator.db"), fleet, o =>
        {
            o.TimeoutGrace = TimeSpan.FromMilliseconds(200);
            o.ReconnectTimeout = TimeSpan.FromSeconds(3);
            o.JournalTimeout = TimeSpan.FromSeconds(3);
            executor?.Invoke(o);
        });
        return builder.Build();
    }

    [Fact]
    public async Task AddCoordinatorCore_InvalidOptions_StartFailsListingEveryProblem()
    {
        using var host = Build(
            o => { o.PreflightConcurrency = 0; o.QuarantinePath = "relative/dir"; },
            f => f.MissedReportsBeforeStale = 0);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        // One failing options type throws its OptionsValidationException, several an AggregateException of them.
        var failures = (error is AggregateException all ? all.InnerExceptions : [error])
            .Select(e => Assert.IsType<OptionsValidationException>(e)).SelectMany(e => e.Failures).ToList();
        Assert.Contains(failures, f => f.StartsWith("Executor.PreflightConcurrency must be at least 1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Executor.QuarantinePath must be an absolute path", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Fleet.MissedReportsBeforeStale must be at least 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddCoordinatorCore_UnfinishedRunInTheStore_ResumedOnStartAndFinished()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = c => StepBehavior.Ok(c.StepId.EndsWith("/a", StringComparison.Ordinal) ? 600 : 0) };
        string runId;
        var first = Build();
        await first.StartAsync();
        await agent.ConnectAsync(first.Services.GetRequiredService<AgentSessionHub>());
        var started = await first.Services.GetRequiredService<RunExecutor>()
            .StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"])), "tester");
        runId = started.Run.RunId;
        while (first.Services.GetRequiredService<RunExecutor>().Get(runId).Steps[0].State != StepState.Running)
        {
            await Task.Delay(10);
        }

        await agent.DisconnectAsync();
        await first.StopAsync();
        await ((IAsyncDisposable)first).DisposeAsync();

        var second = Build();
        await second.StartAsync();
        try
        {
            var executor = second.Services.GetRequiredService<RunExecutor>();
            await agent.ConnectAsync(second.Services.GetRequiredService<AgentSessionHub>());
            await executor.WaitAsync(runId).WaitAsync(TimeSpan.FromSeconds(10));

            var result = executor.Get(runId);
            Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
            Assert.All(agent.Executions.Values, n => Assert.Equal(1, n));
            Assert.Empty(executor.ResumeUnfinished());
        }
        finally
        {
            await second.StopAsync();
            await ((IAsyncDisposable)second).DisposeAsync();
        }
    }

    [Fact]
    public void AddCoordinatorCore_PartsAlreadyRegisteredByTheHost_KeepsTheHostsAndRegistersTheStartupOnce()
    {
        var services = new ServiceCollection();
        var hostOptions = new ExecutorOptions { CoordinatorIdentity = "host" };
        services.AddSingleton(hostOptions);

        services.AddCoordinatorCore(Path.Combine(_directory, "c.db"));
        services.AddCoordinatorCore(Path.Combine(_directory, "c.db"));

        Assert.Single(services, d => d.ServiceType == typeof(ExecutorOptions));
        Assert.Single(services, d => d.ServiceType == typeof(RunExecutor));
        Assert.Single(services, d => d.ImplementationType == typeof(CoordinatorCoreStartup));
        using var provider = services.BuildServiceProvider();
        Assert.Same(hostOptions, provider.GetRequiredService<ExecutorOptions>());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
