using System.Text.Json;
using RollbackMesh.Coordinator.Fleet;

namespace RollbackMesh.Coordinator.Storage;

internal sealed partial class CoordinatorStore : IFleetStore
{
    /// <inheritdoc/>
    public Task SaveNodeAsync(NodeIdentity node, DateTimeOffset? lastSeen) => WriteAsync(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO nodes (name, identity, last_seen, cluster) VALUES ($name, $identity, $seen, $cluster)";
        command.Parameters.AddWithValue("$name", node.Name);
        command.Parameters.AddWithValue("$cluster", node.Cluster);
        command.Parameters.AddWithValue("$identity", JsonSerializer.Serialize(node, PlanCodec.Options));
        command.Parameters.AddWithValue("$seen", lastSeen is { } s ? s.ToUnixTimeMilliseconds() : DBNull.Value);
        command.ExecuteNonQuery();
    });

    /// <inheritdoc/>
    public IReadOnlyList<(NodeIdentity Node, DateTimeOffset? LastSeen)> LoadNodes() => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "SELECT identity, last_seen, cluster FROM nodes ORDER BY name";
        using var reader = command.ExecuteReader();
        var nodes = new List<(NodeIdentity, DateTimeOffset?)>();
        while (reader.Read())
        {
            var identity = JsonSerializer.Deserialize<NodeIdentity>(reader.GetString(0), PlanCodec.Options)
                ?? throw new InvalidDataException("A stored node identity is null.");
            // The column owns the cluster (the identity JSON leaves it out).
            identity = identity with { Cluster = reader.GetString(2) };
            nodes.Add((identity, reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))));
        }

        return nodes;
    });
}
