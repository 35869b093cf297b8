using RollbackMesh.V1;

namespace RollbackMesh.Benchmarks.Steps;

/// <summary>
/// Where a run's time went, from its audit trail (History): each step's dispatched, running (the agent's first report,
/// dated on arrival) and result entries. The serial phases give the critical path of one step; the parallel phase its
/// spread.
/// </summary>
internal sealed class StepTrail
{
    private readonly RunStatus _run;
    private readonly Dictionary<string, (DateTimeOffset? Dispatched, DateTimeOffset? Running, DateTimeOffset? Result)> _steps;

    private StepTrail(RunStatus run, Dictionary<string, (DateTimeOffset?, DateTimeOffset?, DateTimeOffset?)> steps)
    {
        _run = run;
        _steps = steps;
    }

    public static async Task<StepTrail> ReadAsync(Operator.OperatorClient client, RunStatus run)
    {
        var entries = new List<AuditEntry>();
        var request = new HistoryRequest { RunId = run.RunId, Limit = 10_000 };
        do
        {
            var page = await client.HistoryAsync(request).ResponseAsync.ConfigureAwait(false);
            entries.InsertRange(0, page.Entries);
            request.PageToken = page.NextPageToken;
            request.Limit = (uint)Math.Max(1, 10_000 - entries.Count);
        }
        while (request.PageToken.Length > 0);

        var steps = run.Steps.ToDictionary(s => s.StepId, _ => ((DateTimeOffset?)null, (DateTimeOffset?)null, (DateTimeOffset?)null), StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.What.StartsWith("step.", StringComparison.Ordinal)))
        {
            // The detail starts "STEP_ID (NAME) on NODE".
            var stepId = entry.Detail[..Math.Max(0, entry.Detail.IndexOf(" (", StringComparison.Ordinal))];
            if (!steps.TryGetValue(stepId, out var times))
            {
                continue;
            }

            var at = entry.At.ToDateTimeOffset();
            steps[stepId] = entry.What switch
            {
                "step.dispatched" => (times.Item1 ?? at, times.Item2, times.Item3),
                "step.running" => (times.Item1, times.Item2 ?? at, times.Item3),
                "step.succeeded" or "step.failed" or "step.timedout" or "step.unknown" => (times.Item1, times.Item2, at),
                _ => times,
            };
        }

        return new StepTrail(run, steps);
    }

    public void Print(Action<string, object> figure)
    {
        var serialPhases = new HashSet<string>(["first-server", "other-servers"], StringComparer.Ordinal);
        var serial = Times(_run.Steps.Where(s => serialPhases.Contains(s.Phase))).OrderBy(t => t.Dispatched).ToList();
        var parallel = Times(_run.Steps.Where(s => !serialPhases.Contains(s.Phase))).ToList();
        figure("critical_step_ms", Median(serial.Select(t => Ms(t.Dispatched, t.Result))));
        // dispatched -> running: the coordinator commits the dispatch, sends it; the agent journals the start, reports.
        figure("critical_dispatch_to_running_ms", Median(serial.Select(t => Ms(t.Dispatched, t.Running))));
        // running -> result: the agent runs the no-op, journals the outcome, reports it.
        figure("critical_running_to_result_ms", Median(serial.Select(t => Ms(t.Running, t.Result))));
        // result -> next dispatch: the coordinator commits the result and decides and dispatches the next step.
        figure("critical_result_to_next_dispatch_ms", Median(serial.Zip(serial.Skip(1)).Select(p => Ms(p.First.Result, p.Second.Dispatched))));
        var started = _run.StartedAt.ToDateTimeOffset();
        var finished = _run.FinishedAt.ToDateTimeOffset();
        var firstDispatch = serial.Concat(parallel).Min(t => t.Dispatched);
        figure("start_to_first_dispatch_ms", Ms(started, firstDispatch));
        figure("serial_phases_ms", serial.Count == 0 ? double.NaN : Ms(serial[0].Dispatched, serial[^1].Result));
        if (parallel.Count > 0)
        {
            figure("parallel_phase_ms", Ms(parallel.Min(t => t.Dispatched), parallel.Max(t => t.Result)));
            var spans = parallel.Select(t => Ms(t.Dispatched, t.Result)).Order().ToList();
            figure("parallel_step_p50_ms", Percentile(spans, 0.5));
            figure("parallel_step_p99_ms", Percentile(spans, 0.99));
        }

        figure("last_result_to_finished_ms", Ms(serial.Concat(parallel).Max(t => t.Result), finished));
    }

    private IEnumerable<(DateTimeOffset Dispatched, DateTimeOffset? Running, DateTimeOffset Result)> Times(IEnumerable<StepStatus> steps) =>
        steps.Select(s => _steps[s.StepId])
            .Where(t => t.Dispatched is not null && t.Result is not null)
            .Select(t => (t.Dispatched!.Value, t.Running, t.Result!.Value));

    private static double Ms(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } f && to is { } t ? (t - f).TotalMilliseconds : double.NaN;

    private static double Median(IEnumerable<double> values) => Percentile([.. values.Where(v => !double.IsNaN(v)).Order()], 0.5);

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
