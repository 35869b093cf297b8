using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Asks agents to dry-run a plan's steps (StepCommand with dry_run) and collects what each one would change. Side
/// effect free by contract: the agent only describes, and does not journal, a dry run. Each call uses its own run id
/// (<see cref="RunIdPrefix"/> + a guid) so its step ids can never collide with a real run's in an agent's journal.
/// Nodes are asked in parallel up to <see cref="ExecutorOptions.DryRunConcurrency"/>; each node's steps are sent at
/// once and must all be answered within <see cref="ExecutorOptions.DryRunTimeout"/>.
/// </summary>
internal sealed class DryRunDispatcher(IAgentLink link, ExecutorOptions options, TimeProvider time, DryRunAnswers answers)
{
    /// <summary>Run ids of dry runs start with this; updates for such run ids never reach a run driver.</summary>
    public const string RunIdPrefix = "dryrun-";

    /// <summary>The text a step gets when its node has no open stream.</summary>
    public const string NotConnected = "(agent not connected: no dry run)";

    /// <summary>The answer a step gets when its node has no open stream.</summary>
    public static readonly DryRunAnswer NotConnectedAnswer = new(NotConnected, "agent not connected: no dry run");

    /// <summary>Dry-runs every phase step of <paramref name="plan"/>; returns each step id's answer.</summary>
    public async Task<ImmutableDictionary<string, DryRunAnswer>> DescribeAsync(Plan plan, CancellationToken ct)
    {
        var runId = RunIdPrefix + Guid.NewGuid().ToString("N");
        var byNode = plan.AllSteps.GroupBy(s => s.Node, StringComparer.Ordinal).ToList();
        var concurrency = Math.Max(1, options.DryRunConcurrency);
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var results = await Task.WhenAll(byNode.Select(async node =>
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await DescribeNodeAsync(runId, node.Key, [.. node], ct).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        return results.SelectMany(r => r).ToImmutableDictionary(StringComparer.Ordinal);
    }

    private async Task<IEnumerable<KeyValuePair<string, DryRunAnswer>>> DescribeNodeAsync(
        string runId, string node, IReadOnlyList<PlanStep> steps, CancellationToken ct)
    {
        if (!link.IsConnected(node))
        {
            return steps.Select(s => KeyValuePair.Create(s.StepId, NotConnectedAnswer));
        }

        var waits = steps.Select(s => (Step: s, Answer: answers.Expect(runId, s.StepId, node))).ToList();

        try
        {
            var deadline = time.GetUtcNow() + options.DryRunTimeout;
            foreach (var (step, _) in waits)
            {
                await link.SendAsync(node, AgentWireMapper.StepCommand(runId, step.StepId, step.Action, deadline, dryRun: true), ct).ConfigureAwait(false);
            }

            try
            {
                await Task.WhenAll(waits.Select(w => w.Answer)).WaitAsync(options.DryRunTimeout, time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Steps answered in time keep their text; the rest say they timed out.
            }

            return waits.Select(w => KeyValuePair.Create(w.Step.StepId, Describe(w.Answer)));
        }
        catch (AgentUnavailableException)
        {
            return steps.Select(s => KeyValuePair.Create(s.StepId, NotConnectedAnswer));
        }
        finally
        {
            foreach (var step in steps)
            {
                answers.Forget(runId, step.StepId);
            }
        }
    }

    private DryRunAnswer Describe(Task<StepOutcome> answer)
    {
        if (!answer.IsCompletedSuccessfully)
        {
            var silence = $"no dry run answer within {options.DryRunTimeout}";
            return new DryRunAnswer($"({silence})", silence);
        }

        var outcome = answer.Result;
        if (outcome.State == StepState.Failed)
        {
            // The agent accepted the arguments but could not describe the change from the node's state now: that
            // state is often what an earlier step creates (phase 1 points the repositories at 2.6, phase 2's dry run
            // cannot find 2.6 yet). Shown, not a refusal; the step's own preflight checks run before it changes anything.
            var reason = outcome.Error.Length > 0 ? outcome.Error : outcome.Summary;
            return new DryRunAnswer($"(dry run could not describe the change from the node's current state: {reason})", Refusal: null);
        }

        if (!outcome.State.IsSuccess())
        {
            var refusal = $"{outcome.State.ToString().ToUpperInvariant()}: {(outcome.Error.Length > 0 ? outcome.Error : outcome.Summary)}";
            return new DryRunAnswer($"(dry run {refusal})", refusal);
        }

        return new DryRunAnswer(outcome.DryRun.Length > 0 ? outcome.DryRun : "(no changes described)", Refusal: null);
    }
}
