using System.Globalization;
using System.Text;
using Prometheus;

namespace RollbackMesh.Coordinator.Tests.Metrics;

/// <summary>A scrape in the Prometheus text format, read back as series (name and labels, as printed) → value.</summary>
internal sealed class Exposition
{
    private Exposition(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('#'))
            {
                var space = line.LastIndexOf(' ');
                Series[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }
    }

    public string Text { get; }

    public Dictionary<string, double> Series { get; } = new(StringComparer.Ordinal);

    /// <summary>The value of one series, e.g. <c>rollbackmesh_agents_connected{role="server"}</c>; fails naming what was there.</summary>
    public double this[string series] =>
        Series.TryGetValue(series, out var value) ? value : throw new KeyNotFoundException($"No series {series} in the scrape:\n{Text}");

    public static Exposition Parse(string text) => new(text);

    public static async Task<Exposition> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return new Exposition(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
