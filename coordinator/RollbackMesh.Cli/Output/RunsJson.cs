using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Output;

/// <summary>
/// The JSON of `runs --json`: snake_case names, times in RFC 3339 UTC, and null (not an absent field) for what a run
/// has not got: <c>finished_at</c> while it runs, <c>campaign_id</c> for a run started on its own.
/// </summary>
internal static class RunsJson
{
    public static string Render(IEnumerable<RunListEntry> runs)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("runs");
            foreach (var run in runs)
            {
                json.WriteStartObject();
                json.WriteString("id", run.Id);
                json.WriteString("kind", run.Kind);
                json.WriteString("runbook", run.Runbook);
                json.WriteString("cluster", run.Cluster);
                WriteOptional(json, "campaign_id", run.HasCampaignId ? run.CampaignId : null);
                json.WriteString("state", Format.State(run.State));
                WriteOptional(json, "started_at", Rfc3339(run.StartedAt));
                WriteOptional(json, "finished_at", Rfc3339(run.FinishedAt));
                json.WriteString("plan_hash", run.PlanHash);
                json.WriteString("started_by", run.StartedBy);
                json.WriteString("current_phase", run.CurrentPhase);
                json.WriteString("message", run.Message);
                json.WriteNumber("attempt", run.Attempt);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>2026-12-04T17:54:54.123Z, or null.</summary>
    public static string? Rfc3339(Timestamp? at) =>
        at?.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
