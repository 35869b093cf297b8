using System.Threading.Channels;
using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Steps;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Hosting;

/// <summary>
/// Adapts the <see cref="StepRunner"/> to the connection: its synchronous update callback feeds a per-step queue
/// that is drained into the (asynchronous, back-pressured) stream writer in order.
/// </summary>
internal sealed class StepRunnerExecutor : IStepExecutor
{
    private readonly StepRunner _runner;

    /// <summary>Wraps <paramref name="runner"/>.</summary>
    public StepRunnerExecutor(StepRunner runner) => _runner = runner;

    /// <inheritdoc />
    public IReadOnlyList<string> SupportedActionKinds => ActionFactory.SupportedKinds;

    /// <inheritdoc />
    public async Task ExecuteAsync(StepCommand command, Func<StepUpdate, CancellationToken, ValueTask> report, CancellationToken cancellationToken)
    {
        var updates = Channel.CreateUnbounded<StepUpdate>(new UnboundedChannelOptions { SingleReader = true });
        var pump = Task.Run(async () =>
        {
            await foreach (var update in updates.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await report(update, CancellationToken.None).ConfigureAwait(false);
            }
        }, CancellationToken.None);
        try
        {
            await _runner.RunAsync(command, update => updates.Writer.TryWrite(update), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            updates.Writer.TryComplete();
            await pump.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public bool Cancel(string runId, string stepId) => _runner.Cancel(runId, stepId);
}
