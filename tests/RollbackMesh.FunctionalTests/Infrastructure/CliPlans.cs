using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// Reading the operator CLI's plan and apply output the same way in every test: the plan's hash, a run id, and
/// planning until preflight is clean (the agents have connected and reported health).
/// </summary>
internal static partial class CliPlans
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The hash on a plan's "Hash:" line (empty when there is none).</summary>
    public static string HashOf(string planOutput) => HashLine().Match(planOutput).Groups[1].Value;

    /// <summary>The first run id in <paramref name="text"/> (empty when there is none).</summary>
    public static string RunIdIn(string text) => RunIdPattern().Match(text).Value;

    /// <summary>
    /// Runs <c>plan</c> with <paramref name="planArgs"/> until it exits 0 with "Preflight: ok" (and names every one of
    /// <paramref name="mustName"/>), for up to 60 s; fails the test with the last output otherwise.
    /// </summary>
    public static async Task<CliRun> UntilPreflightOkAsync(ITestOutputHelper log, string[] planArgs, params string[] mustName)
    {
        var giveUp = DateTime.UtcNow + Patience;
        while (true)
        {
            var plan = await CliRun.RunAsync(log, planArgs);
            if (plan.ExitCode == 0 && plan.Stdout.Contains("Preflight: ok", StringComparison.Ordinal)
                && mustName.All(text => plan.Stdout.Contains(text, StringComparison.Ordinal)))
            {
                return plan;
            }

            Assert.True(DateTime.UtcNow < giveUp, "The plan never passed preflight:\n" + plan.Stdout + plan.Stderr);
            await Task.Delay(500);
        }
    }

    [GeneratedRegex(@"^Hash: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex HashLine();

    [GeneratedRegex(@"run-\d{8}-\d{6}-[0-9a-f]+")]
    private static partial Regex RunIdPattern();
}
