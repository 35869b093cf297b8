using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RollbackMesh.Cli.Ui;

/// <summary>
/// The dashboard's pages, compiled into the executable (EmbeddedResource "Ui/Assets/*"): nothing is read from disk or
/// fetched from the network, so the dashboard works air-gapped and cannot drift from the CLI that serves it.
/// </summary>
internal static class EmbeddedAssets
{
    private const string Prefix = "RollbackMesh.Cli.Ui.Assets.";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>The file names of every embedded asset (index.html, dashboard.js, ...).</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(EmbeddedAssets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(n => n[Prefix.Length..]).ToList();

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var name in Names)
        {
            var bytes = Read(name);
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            app.MapGet("/" + name, () => Results.Bytes(bytes, type));
            if (name == "index.html")
            {
                app.MapGet("/", () => Results.Bytes(bytes, type));
            }
            else if (name == "favicon.svg")
            {
                // Browsers ask for /favicon.ico whatever the page links.
                app.MapGet("/favicon.ico", () => Results.Bytes(bytes, type));
            }
        }
    }

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
