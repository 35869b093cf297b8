using System.Text;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// The account a stopped run ends with: what each node did and what remains. Nodes that finished everything or
/// never started are listed by name in one line each; every other node gets its own line.
/// </summary>
internal static class RunSummary
{
    private const int NamesShown = 50;

    public static string Describe(IReadOnlyList<StepRecord> steps)
    {
        var text = new StringBuilder();
        var complete = new List<string>();
        var untouched = new List<string>();
        foreach (var node in steps.GroupBy(s => s.Node, StringComparer.Ordinal))
        {
            var list = node.OrderBy(s => s.Ordinal).ToList();
            if (list.All(s => s.State.IsSuccess() && !s.SkippedForFailure))
            {
                complete.Add(node.Key);
                continue;
            }

            if (list.All(s => s.State == StepState.Pending))
            {
                untouched.Add(node.Key);
                continue;
            }

            text.Append(node.Key).Append(':');
            Part("done", list.Where(s => s.State.IsSuccess() && !s.SkippedForFailure), s => s.Name);
            Part("FAILED", list.Where(s => s.State.IsTerminal() && !s.State.IsSuccess()), s => $"{s.Name} [{s.State}: {(s.Error.Length > 0 ? s.Error : s.Summary)}]");
            foreach (var skipped in list.Where(s => s.SkippedForFailure).GroupBy(s => s.Error, StringComparer.Ordinal))
            {
                Part($"SKIPPED ({skipped.Key})", skipped, s => s.Name);
            }

            Part("in flight (outcome not yet known)", list.Where(s => s.State.IsInFlight()), s => s.Name);
            Part("remaining", list.Where(s => s.State == StepState.Pending), s => s.Name);
            text.AppendLine();
        }

        Names("nodes that completed all their steps", complete);
        Names("nodes not started (all steps remaining)", untouched);
        return text.ToString().TrimEnd();

        void Part(string label, IEnumerable<StepRecord> part, Func<StepRecord, string> describe)
        {
            var items = part.Select(describe).ToList();
            if (items.Count > 0)
            {
                text.Append(' ').Append(label).Append(": ").Append(string.Join(", ", items)).Append(';');
            }
        }

        void Names(string label, List<string> names)
        {
            if (names.Count == 0)
            {
                return;
            }

            text.Append(names.Count).Append(' ').Append(label).Append(": ").Append(string.Join(", ", names.Take(NamesShown)));
            text.AppendLine(names.Count > NamesShown ? $", and {names.Count - NamesShown} more" : "");
        }
    }
}
