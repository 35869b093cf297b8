using System.Text;
using Grpc.Core;
using Prometheus;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Storage;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Metrics;

/// <summary>
/// The coordinator's Prometheus metrics (prometheus-net), in a registry of its own rather than the library's static
/// default, so two coordinators in one process keep their own counts. Counters and histograms move as things happen;
/// the gauges of agents and runs are computed when scraped, in one pass over the fleet and one store query, so a
/// health report from one of 10,000 agents costs one counter increment. Served only by
/// <c>serve --metrics-listen</c> (<see cref="MetricsServer"/>). Names follow Prometheus conventions: the
/// <c>rollbackmesh_</c> prefix, seconds, <c>_total</c> on counters. No node names in labels (10,000 series each).
/// Agents are counted by role fleet-wide and, in families of their own, by cluster: a cluster label on the role
/// gauges would multiply thousands of edge clusters by every role.
/// </summary>
internal sealed class CoordinatorMetrics
{
    /// <summary>Step durations range from a no-op's milliseconds to an hour-long drain.</summary>
    private static readonly double[] StepDurationBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    /// <summary>Dispatch latency is a store commit and a message on an open stream: milliseconds, unless a node is slow.</summary>
    private static readonly double[] DispatchLatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly FleetRegistry _fleet;
    private readonly CoordinatorStore _store;
    private readonly Counter _healthReports;
    private readonly Counter _enrollmentsRefused;
    private readonly Counter _stepsFinished;
    private readonly Histogram _stepDuration;
    private readonly Histogram _dispatchLatency;
    private readonly AgentGauges _agentsByRole;
    private readonly AgentGauges _agentsByCluster;
    private readonly Gauge _runs;

    public CoordinatorMetrics(FleetRegistry fleet, CoordinatorStore store)
    {
        _fleet = fleet;
        _store = store;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry); // process_* and dotnet_*: the coordinator's own CPU, memory, GCs, threads
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        _healthReports = factory.CreateCounter(
            "rollbackmesh_health_reports_received_total", "Health reports received from agents.");
        _enrollmentsRefused = factory.CreateCounter(
            "rollbackmesh_enrollments_refused_total",
            "Enrollment and renewal calls refused, by the gRPC status returned (e.g. unauthenticated: bad or used-up join token).",
            "reason");
        _stepsFinished = factory.CreateCounter(
            "rollbackmesh_steps_finished_total", "Run steps that reached an end state, by that state.", "outcome");
        _stepDuration = factory.CreateHistogram(
            "rollbackmesh_step_duration_seconds",
            "Seconds from a step's first dispatch to its end state, by that state (steps that ended without being dispatched are not observed).",
            new HistogramConfiguration { LabelNames = ["outcome"], Buckets = StepDurationBuckets });
        _dispatchLatency = factory.CreateHistogram(
            "rollbackmesh_step_dispatch_latency_seconds",
            "Seconds from the coordinator recording a step dispatched to its agent reporting it running.",
            new HistogramConfiguration { Buckets = DispatchLatencyBuckets });
        _agentsByRole = new AgentGauges(factory, "rollbackmesh_agents", "role", "by role; a node counts under each of its roles");
        _agentsByCluster = new AgentGauges(factory, "rollbackmesh_cluster_agents", "cluster", "by the cluster its agent.yaml names");
        _runs = factory.CreateGauge("rollbackmesh_runs", "Runs in the coordinator's store, by state.", "state");

        // Every end state and run state is exported from the start (at 0), so rate() and alerts see a series at once.
        foreach (var state in Enum.GetValues<StepState>().Where(s => s.IsTerminal()))
        {
            _stepsFinished.WithLabels(LabelValue(state)).Publish();
        }

        Registry.AddBeforeCollectCallback(UpdateGauges);
    }

    /// <summary>The registry the exposition endpoint serves.</summary>
    public CollectorRegistry Registry { get; }

    public void HealthReportReceived() => _healthReports.Inc();

    public void EnrollmentRefused(StatusCode status) => _enrollmentsRefused.WithLabels(LabelValue(status)).Inc();

    /// <summary>A step ended; <paramref name="sinceFirstDispatch"/> is null when it was never dispatched by this process.</summary>
    public void StepFinished(StepState outcome, TimeSpan? sinceFirstDispatch)
    {
        var label = LabelValue(outcome);
        _stepsFinished.WithLabels(label).Inc();
        if (sinceFirstDispatch is { } duration)
        {
            _stepDuration.WithLabels(label).Observe(Math.Max(0, duration.TotalSeconds));
        }
    }

    public void StepDispatchAcknowledged(TimeSpan latency) => _dispatchLatency.Observe(Math.Max(0, latency.TotalSeconds));

    /// <summary>
    /// A label value from an enum name, snake_case as Prometheus labels are written: TimedOut → timed_out,
    /// AwaitingApproval → awaiting_approval, ResourceExhausted → resource_exhausted.
    /// </summary>
    internal static string LabelValue<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && char.IsLower(name[i - 1]))
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    /// <summary>Runs before every scrape: one pass over the fleet and one store query.</summary>
    private void UpdateGauges()
    {
        var census = _fleet.Census();
        _agentsByRole.Set(census.ByRole);
        _agentsByCluster.Set(census.ByCluster);

        var runs = _store.CountRunsByState();
        foreach (var state in Enum.GetValues<RunState>())
        {
            _runs.WithLabels(LabelValue(state)).Set(runs.GetValueOrDefault(state));
        }
    }
}
