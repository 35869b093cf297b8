using Prometheus;
using RollbackMesh.Coordinator.Fleet;

namespace RollbackMesh.Coordinator.Metrics;

/// <summary>
/// Known, connected and stale agents under one label (role, or cluster), set from a census at each scrape. A label
/// value no node carries any more (an agent's roles changed, a cluster's last node was removed) loses its series
/// instead of staying at its last value. Two overlapping scrapes are safe: gauge sets are atomic, the series set is
/// locked.
/// </summary>
internal sealed class AgentGauges
{
    private readonly Gauge _known;
    private readonly Gauge _connected;
    private readonly Gauge _stale;
    private readonly HashSet<string> _series = new(StringComparer.Ordinal);

    /// <param name="prefix">the family prefix, e.g. <c>rollbackmesh_agents</c>; the gauges are PREFIX_known, _connected, _stale</param>
    /// <param name="label">the label name, e.g. <c>role</c></param>
    /// <param name="per">how the help texts end, e.g. "by role; a node counts under each of its roles"</param>
    public AgentGauges(MetricFactory factory, string prefix, string label, string per)
    {
        _known = factory.CreateGauge($"{prefix}_known", $"Agents the coordinator knows (connected or not, removed included), {per}.", label);
        _connected = factory.CreateGauge($"{prefix}_connected", $"Agents with an open stream, {per}.", label);
        _stale = factory.CreateGauge($"{prefix}_stale", $"Connected agents whose health reports stopped arriving, {per}.", label);
    }

    public void Set(IReadOnlyDictionary<string, AgentCounts> counts)
    {
        foreach (var (value, count) in counts)
        {
            _known.WithLabels(value).Set(count.Known);
            _connected.WithLabels(value).Set(count.Connected);
            _stale.WithLabels(value).Set(count.Stale);
        }

        lock (_series)
        {
            foreach (var gone in _series.Where(v => !counts.ContainsKey(v)).ToList())
            {
                _known.RemoveLabelled(gone);
                _connected.RemoveLabelled(gone);
                _stale.RemoveLabelled(gone);
                _series.Remove(gone);
            }

            _series.UnionWith(counts.Keys);
        }
    }
}
