using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Storage;

internal sealed partial class CoordinatorStore
{
    /// <summary>Records a new campaign, every cluster (with the plan its run will execute) and the audit entry in one transaction.</summary>
    public Task InsertCampaignAsync(CampaignRecord campaign, IReadOnlyList<(CampaignClusterRecord Cluster, Plan Plan)> clusters, AuditEntry audit)
    {
        var plans = clusters.Select(c => PlanCodec.Serialize(c.Plan)).ToList();
        var parameters = JsonSerializer.Serialize(campaign.Parameters, PlanCodec.Options);
        var secrets = JsonSerializer.Serialize(campaign.SecretParameters, PlanCodec.Options);
        return WriteAsync(c =>
        {
            using (var command = c.CreateCommand())
            {
                command.CommandText = """
                    INSERT INTO campaigns (campaign_id, runbook, campaign_hash, parameters, secret_parameters, state, canary, parallel,
                        failure_budget, approve_after_canary, approved, current_wave, message, started_by, started_at, finished_at)
                    VALUES ($id, $runbook, $hash, $parameters, $secrets, $state, $canary, $parallel, $budget, $gate, $approved, $wave,
                        $message, $by, $started, $finished)
                    """;
                BindCampaign(command, campaign);
                command.Parameters.AddWithValue("$runbook", campaign.Runbook);
                command.Parameters.AddWithValue("$hash", campaign.CampaignHash);
                command.Parameters.AddWithValue("$parameters", parameters);
                command.Parameters.AddWithValue("$secrets", secrets);
                command.Parameters.AddWithValue("$canary", campaign.Canary);
                command.Parameters.AddWithValue("$parallel", campaign.Parallel);
                command.Parameters.AddWithValue("$budget", campaign.FailureBudget);
                command.Parameters.AddWithValue("$gate", campaign.ApproveAfterCanary ? 1 : 0);
                command.Parameters.AddWithValue("$by", campaign.StartedBy);
                command.Parameters.AddWithValue("$started", campaign.StartedAt.ToUnixTimeMilliseconds());
                command.ExecuteNonQuery();
            }

            for (var i = 0; i < clusters.Count; i++)
            {
                using var command = c.CreateCommand();
                command.CommandText = """
                    INSERT INTO campaign_clusters (campaign_id, cluster, ordinal, wave, canary, plan_hash, plan, run_id, state, message,
                        started_at, finished_at)
                    VALUES ($campaign, $cluster, $ordinal, $wave, $canary, $hash, $plan, $run, $state, $message, $started, $finished)
                    """;
                BindCampaignCluster(command, clusters[i].Cluster);
                command.Parameters.AddWithValue("$ordinal", clusters[i].Cluster.Ordinal);
                command.Parameters.AddWithValue("$wave", clusters[i].Cluster.Wave);
                command.Parameters.AddWithValue("$canary", clusters[i].Cluster.Canary ? 1 : 0);
                command.Parameters.AddWithValue("$hash", clusters[i].Cluster.PlanHash);
                command.Parameters.AddWithValue("$plan", plans[i]);
                command.ExecuteNonQuery();
            }

            InsertAudit(c, audit);
        });
    }

    /// <summary>
    /// Records a campaign's new header and the clusters that changed with it, with an optional audit entry, in one
    /// transaction (so a restart never sees a wave started without the header saying so, or the reverse).
    /// </summary>
    public Task SaveCampaignAsync(CampaignRecord campaign, IReadOnlyList<CampaignClusterRecord> changed, AuditEntry? audit = null) => WriteAsync(c =>
    {
        using (var command = c.CreateCommand())
        {
            command.CommandText = """
                UPDATE campaigns SET state = $state, approved = $approved, current_wave = $wave, message = $message, finished_at = $finished
                WHERE campaign_id = $id
                """;
            BindCampaign(command, campaign);
            command.ExecuteNonQuery();
        }

        foreach (var cluster in changed)
        {
            using var command = c.CreateCommand();
            command.CommandText = """
                UPDATE campaign_clusters SET run_id = $run, state = $state, message = $message, started_at = $started, finished_at = $finished
                WHERE campaign_id = $campaign AND cluster = $cluster
                """;
            BindCampaignCluster(command, cluster);
            command.ExecuteNonQuery();
        }

        if (audit is not null)
        {
            InsertAudit(c, audit);
        }
    });

    /// <summary>The campaign's header and its clusters in campaign order, or null when no such campaign exists.</summary>
    public (CampaignRecord Campaign, ImmutableArray<CampaignClusterRecord> Clusters)? LoadCampaign(string campaignId) => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = $"SELECT {CampaignColumns} FROM campaigns WHERE campaign_id = $id";
        command.Parameters.AddWithValue("$id", campaignId);
        CampaignRecord campaign;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return ((CampaignRecord, ImmutableArray<CampaignClusterRecord>)?)null;
            }

            campaign = ReadCampaign(reader);
        }

        using var clusters = c.CreateCommand();
        clusters.CommandText = """
            SELECT campaign_id, cluster, ordinal, wave, canary, plan_hash, run_id, state, message, started_at, finished_at
            FROM campaign_clusters WHERE campaign_id = $id ORDER BY ordinal
            """;
        clusters.Parameters.AddWithValue("$id", campaignId);
        using var rows = clusters.ExecuteReader();
        var list = ImmutableArray.CreateBuilder<CampaignClusterRecord>();
        while (rows.Read())
        {
            list.Add(new CampaignClusterRecord(
                rows.GetString(0), rows.GetString(1), rows.GetInt32(2), rows.GetInt32(3), rows.GetInt64(4) != 0, rows.GetString(5),
                rows.GetString(6), (RunState)rows.GetInt32(7), rows.GetString(8), ReadTime(rows, 9), ReadTime(rows, 10)));
        }

        return (campaign, list.ToImmutable());
    });

    /// <summary>The plan the campaign's run on <paramref name="cluster"/> executes, as stored when the campaign started.</summary>
    public Plan LoadCampaignPlan(string campaignId, string cluster) => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "SELECT plan FROM campaign_clusters WHERE campaign_id = $id AND cluster = $cluster";
        command.Parameters.AddWithValue("$id", campaignId);
        command.Parameters.AddWithValue("$cluster", cluster);
        return command.ExecuteScalar() is string json
            ? PlanCodec.Deserialize(json)
            : throw new InvalidDataException($"Campaign {campaignId} has no stored plan for cluster '{cluster}'.");
    });

    /// <summary>Every campaign's header (state filter: null for any), newest first.</summary>
    public IReadOnlyList<CampaignRecord> ListCampaigns(RunState? state = null) => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = $"SELECT {CampaignColumns} FROM campaigns WHERE ($state IS NULL OR state = $state) ORDER BY started_at DESC, campaign_id";
        command.Parameters.AddWithValue("$state", state is { } s ? (int)s : DBNull.Value);
        using var reader = command.ExecuteReader();
        var campaigns = new List<CampaignRecord>();
        while (reader.Read())
        {
            campaigns.Add(ReadCampaign(reader));
        }

        return campaigns;
    });

    /// <summary>
    /// The newest run the campaign started on <paramref name="cluster"/>, or null. After a crash between recording a
    /// cluster's run and the campaign noting it, this finds the run so it is adopted rather than started again.
    /// </summary>
    public RunRecord? FindCampaignRun(string campaignId, string cluster) => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM runs WHERE campaign_id = $campaign AND cluster = $cluster ORDER BY started_at DESC LIMIT 1";
        command.Parameters.AddWithValue("$campaign", campaignId);
        command.Parameters.AddWithValue("$cluster", cluster);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadRun(reader) : null;
    });

    private const string CampaignColumns =
        "campaign_id, runbook, campaign_hash, parameters, state, canary, parallel, failure_budget, approve_after_canary, approved, " +
        "current_wave, message, started_by, started_at, finished_at, secret_parameters";

    private static CampaignRecord ReadCampaign(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2),
        JsonSerializer.Deserialize<ImmutableSortedDictionary<string, string>>(reader.GetString(3), PlanCodec.Options) ?? ImmutableSortedDictionary<string, string>.Empty,
        (RunState)reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt64(8) != 0,
        reader.GetInt64(9) != 0, reader.GetInt32(10), reader.GetString(11), reader.GetString(12),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)), ReadTime(reader, 14))
    {
        SecretParameters = JsonSerializer.Deserialize<ImmutableArray<string>>(reader.GetString(15), PlanCodec.Options),
    };

    private static DateTimeOffset? ReadTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static void BindCampaign(SqliteCommand command, CampaignRecord campaign)
    {
        command.Parameters.AddWithValue("$id", campaign.CampaignId);
        command.Parameters.AddWithValue("$state", (int)campaign.State);
        command.Parameters.AddWithValue("$approved", campaign.Approved ? 1 : 0);
        command.Parameters.AddWithValue("$wave", campaign.CurrentWave);
        command.Parameters.AddWithValue("$message", campaign.Message);
        command.Parameters.AddWithValue("$finished", campaign.FinishedAt is { } f ? f.ToUnixTimeMilliseconds() : DBNull.Value);
    }

    private static void BindCampaignCluster(SqliteCommand command, CampaignClusterRecord cluster)
    {
        command.Parameters.AddWithValue("$campaign", cluster.CampaignId);
        command.Parameters.AddWithValue("$cluster", cluster.Cluster);
        command.Parameters.AddWithValue("$run", cluster.RunId);
        command.Parameters.AddWithValue("$state", (int)cluster.State);
        command.Parameters.AddWithValue("$message", cluster.Message);
        command.Parameters.AddWithValue("$started", cluster.StartedAt is { } s ? s.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$finished", cluster.FinishedAt is { } f ? f.ToUnixTimeMilliseconds() : DBNull.Value);
    }
}
