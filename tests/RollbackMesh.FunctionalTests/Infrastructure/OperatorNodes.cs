using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>The fleet as an operator sees it: the real `rollbackmesh nodes --json` over mutual TLS.</summary>
internal static class OperatorNodes
{
    /// <summary>
    /// Polls `nodes --json` with the operator certificate <c>alice</c> in <paramref name="operators"/> (ca.crt,
    /// alice.crt, alice.key) until <paramref name="node"/> matches <paramref name="condition"/>, for up to 60 s.
    /// </summary>
    public static async Task<JsonElement> WaitForAsync(ITestOutputHelper log, string address, string operators, string node, Func<JsonElement, bool> condition)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await CliRun.RunAsync(log, "--coordinator", address, "--ca", Path.Combine(operators, "ca.crt"),
                "--cert", Path.Combine(operators, "alice.crt"), "--key", Path.Combine(operators, "alice.key"), "nodes", "--json");
            Assert.Equal(0, run.ExitCode);
            using var json = JsonDocument.Parse(run.Stdout);
            var found = json.RootElement.GetProperty("nodes").EnumerateArray().FirstOrDefault(n => n.GetProperty("name").GetString() == node);
            if (found.ValueKind == JsonValueKind.Object && condition(found))
            {
                return found.Clone();
            }

            Assert.True(DateTime.UtcNow < giveUp, $"Node {node} did not reach the expected state within 60 s; last answer: {run.Stdout}");
            await Task.Delay(500);
        }
    }
}
