using System.Diagnostics;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// Runs a bounded number of chaos trials in a row from one seeded random source, prints each trial's problems and
/// the `figure NAME PASSED/TRIALS` line, and fails naming every problem and the seed to replay. A trial that throws
/// (a process or the coordinator not back in time) ends the loop: the fleet is in no known state for the next one.
/// </summary>
internal sealed class ChaosLoop(ITestOutputHelper output, string test)
{
    private readonly List<string> _failures = [];

    /// <summary>The seeded random source the trials draw their choices from.</summary>
    public Random Random { get; } = new(ChaosSeed.Value);

    /// <summary>
    /// Runs <paramref name="trials"/> trials; each returns the problems it found (none: passed). Prints
    /// <c>figure <paramref name="figure"/> PASSED/TRIALS</c> and the loop's wall time as <c>figure <paramref name="figure"/>_wall_s</c>.
    /// </summary>
    public async Task RunAsync(string figure, int trials, Func<int, Task<IReadOnlyList<string>>> trial)
    {
        output.WriteLine(FormattableString.Invariant($"chaos seed {ChaosSeed.Value} (set {ChaosSeed.Variable} to replay)"));
        output.WriteLine(FormattableString.Invariant($"figure chaos_seed {ChaosSeed.Value}"));
        var clock = Stopwatch.StartNew();
        var passed = 0;
        for (var n = 1; n <= trials; n++)
        {
            IReadOnlyList<string> problems;
            try
            {
                problems = await trial(n);
            }
            catch (Exception ex)
            {
                _failures.Add($"trial {n}: {ex.GetType().Name}: {ex.Message}");
                output.WriteLine($"trial {n} stopped the loop: {ex}");
                break;
            }

            foreach (var problem in problems)
            {
                _failures.Add($"trial {n}: {problem}");
                output.WriteLine($"trial {n} PROBLEM: {problem}");
            }

            passed += problems.Count == 0 ? 1 : 0;
        }

        output.WriteLine(FormattableString.Invariant($"figure {figure} {passed}/{trials}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"figure {figure}_wall_s {clock.Elapsed.TotalSeconds:0.0}"));
        if (_failures.Count > 0)
        {
            Assert.Fail($"{trials - passed} of {trials} trials failed (seed {ChaosSeed.Value}; replay: {ChaosSeed.Replay(test)}):\n"
                + string.Join("\n", _failures));
        }
    }
}
