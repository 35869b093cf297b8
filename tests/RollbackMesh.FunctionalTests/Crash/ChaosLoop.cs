using System.Diagnostics;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// Runs a bounded number of chaos trials, prints each trial's problems and the `figure NAME PASSED/TRIALS` line, and
/// fails naming every problem and the seed to replay. Trials run one after another in each of one or more lanes (a
/// lane is a fleet of its own, so lanes run at once without touching each other); each lane draws its choices from its
/// own random source seeded from <see cref="ChaosSeed"/>. A trial that throws (a process or the coordinator not back
/// in time) ends its lane: that fleet is in no known state for the next trial.
/// </summary>
internal sealed class ChaosLoop(ITestOutputHelper output, string test)
{
    private readonly Lock _lock = new();
    private readonly List<string> _failures = [];
    private int _passed;

    /// <summary>
    /// Runs <paramref name="trials"/> trials in one lane; each is given its number and returns the problems it found
    /// (none: passed). Prints <c>figure <paramref name="figure"/> PASSED/TRIALS</c> and <c>figure <paramref name="figure"/>_wall_s</c>.
    /// </summary>
    public Task RunAsync(string figure, int trials, Func<int, Random, Task<IReadOnlyList<string>>> trial) =>
        RunAsync(figure, trials, 1, (_, n, random) => trial(n, random));

    /// <summary>
    /// Runs <paramref name="trials"/> trials over <paramref name="lanes"/> lanes at once (lane L of 0.. runs trials
    /// L + 1, L + 1 + lanes, ...); each trial is given its lane, its number and its lane's random source.
    /// </summary>
    public async Task RunAsync(string figure, int trials, int lanes, Func<int, int, Random, Task<IReadOnlyList<string>>> trial)
    {
        output.WriteLine(FormattableString.Invariant($"chaos seed {ChaosSeed.Value} (set {ChaosSeed.Variable} to replay)"));
        output.WriteLine(FormattableString.Invariant($"figure chaos_seed {ChaosSeed.Value}"));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => Task.Run(() => RunLaneAsync(lane, trials, lanes, trial))));
        output.WriteLine(FormattableString.Invariant($"figure {figure} {_passed}/{trials}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"figure {figure}_wall_s {clock.Elapsed.TotalSeconds:0.0}"));
        if (_failures.Count > 0)
        {
            Assert.Fail($"{trials - _passed} of {trials} trials failed (seed {ChaosSeed.Value}; replay: {ChaosSeed.Replay(test)}):\n"
                + string.Join("\n", _failures));
        }
    }

    private async Task RunLaneAsync(int lane, int trials, int lanes, Func<int, int, Random, Task<IReadOnlyList<string>>> trial)
    {
        var random = new Random(unchecked(ChaosSeed.Value + lane));
        for (var n = lane + 1; n <= trials; n += lanes)
        {
            IReadOnlyList<string> problems;
            try
            {
                problems = await trial(lane, n, random);
            }
            catch (Exception ex)
            {
                Record(n, $"{ex.GetType().Name}: {ex.Message}");
                output.WriteLine($"trial {n} stopped lane {lane}: {ex}");
                return;
            }

            foreach (var problem in problems)
            {
                Record(n, problem);
            }

            if (problems.Count == 0)
            {
                Interlocked.Increment(ref _passed);
            }
        }
    }

    private void Record(int trial, string problem)
    {
        lock (_lock)
        {
            _failures.Add($"trial {trial}: {problem}");
        }

        output.WriteLine($"trial {trial} PROBLEM: {problem}");
    }
}
