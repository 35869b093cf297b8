using System.Diagnostics;
using RollbackMesh.Coordinator.Tests.Metrics;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// Scrapes a real coordinator's <c>--metrics-listen</c> endpoint over HTTP and checks the text with the real
/// <c>promtool check metrics</c> (Debian's prometheus package, installed by tests/install-test-deps.sh).
/// </summary>
internal static class Scrape
{
    private const string Promtool = "/usr/bin/promtool";

    public static async Task<Exposition> GetAsync(Uri metrics)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return Exposition.Parse(await http.GetStringAsync(metrics));
    }

    /// <summary>Polls the endpoint until <paramref name="condition"/> holds, for up to 60 s; returns that scrape.</summary>
    public static async Task<Exposition> WaitForAsync(Uri metrics, Func<Exposition, bool> condition, string what)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var scrape = await GetAsync(metrics);
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.True(DateTime.UtcNow < giveUp, $"The metrics never showed {what} within 60 s; last scrape:\n{scrape.Text}");
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Runs <c>promtool check metrics</c> on <paramref name="text"/> (its lint: names, units, _total, HELP, TYPE) and
    /// fails the test with promtool's findings when it exits non-zero.
    /// </summary>
    public static async Task AssertPromtoolAcceptsAsync(ITestOutputHelper log, string text)
    {
        Assert.True(File.Exists(Promtool), $"{Promtool} is missing: tests/install-test-deps.sh installs Debian's prometheus package, which ships it.");
        var info = new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var findings = (await stdout) + (await stderr);
        log.WriteLine($"$ promtool check metrics  (exit {process.ExitCode})\n{findings}");
        Assert.True(process.ExitCode == 0, $"promtool check metrics refused the exposition:\n{findings}\n--- exposition ---\n{text}");
    }
}
