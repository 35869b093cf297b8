using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>The --state spelling of run states: the wire enum's names in kebab case (running, awaiting-approval...).</summary>
internal static class RunStates
{
    public static IReadOnlyList<string> Names { get; } =
        [.. System.Enum.GetValues<RunState>().Where(s => s != RunState.Unspecified).Select(Format.State)];

    /// <summary>The state named <paramref name="name"/>, or Unspecified (any) for null.</summary>
    /// <exception cref="CliUsageException">The name is not a run state.</exception>
    public static RunState Parse(string? name)
    {
        if (name is null)
        {
            return RunState.Unspecified;
        }

        foreach (var state in System.Enum.GetValues<RunState>().Where(s => s != RunState.Unspecified))
        {
            if (string.Equals(Format.State(state), name, StringComparison.Ordinal))
            {
                return state;
            }
        }

        throw new CliUsageException($"--state '{name}' is not a run state (valid: {string.Join(", ", Names)}).");
    }
}
