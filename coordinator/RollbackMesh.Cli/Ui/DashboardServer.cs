using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackMesh.Cli.Commands;

namespace RollbackMesh.Cli.Ui;

/// <summary>
/// The dashboard's web server: Kestrel on one loopback endpoint, the embedded pages and <see cref="DashboardApi"/>. Runs
/// until the command is interrupted; prints "dashboard on URL" once listening (tests and scripts wait for that line).
/// </summary>
internal static class DashboardServer
{
    public const string ListeningPrefix = "dashboard on ";

    public static async Task<int> RunAsync(CommandContext context, IPEndPoint endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
        builder.Services.AddSingleton(context.Operator);
        await using var app = builder.Build();
        app.Use(LoopbackGuard.InvokeAsync);
        EmbeddedAssets.Map(app);
        DashboardApi.Map(app);
        try
        {
            await app.StartAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new CliUsageException($"--listen {endpoint}: cannot listen there ({ex.Message}).");
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        context.Output.Line(ListeningPrefix + address.TrimEnd('/') + "/");
        context.Output.Line("Every action in it is taken with your operator certificate. Ctrl+C stops it.");
        // The host's console lifetime takes SIGTERM and Ctrl+C for itself (the command's token never sees them), so
        // either one stops the dashboard.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stop serving.
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return CliExitCodes.Success;
    }
}
