namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// The chaos trials' runbook: two no-op steps on each node (so a lost or repeated step has neighbours to be mistaken
/// for), the servers one by one with a health gate after them, then the agents in parallel. One gate keeps a trial
/// to a few seconds while a kill can still fall inside a gate.
/// </summary>
internal static class ChaosRunbook
{
    public const string Name = "chaos-noop";

    /// <summary>The agents phase, where a node may fail within the budget and the run still finishes.</summary>
    public const string AgentsPhase = "agents";

    /// <summary>Writes the runbook into a new directory under <paramref name="stateDirectory"/> and returns it (for --runbooks).</summary>
    public static string WriteUnder(string stateDirectory)
    {
        var directory = Directory.CreateDirectory(Path.Combine(stateDirectory, "runbooks")).FullName;
        File.WriteAllText(Path.Combine(directory, Name + ".yaml"), Text);
        return directory;
    }

    private const string Text = """
        name: chaos-noop
        version: "1"
        procedure: 003_3f800a8f042ff462.txt
        description: No-op steps for the chaos trials; servers one by one, a health gate, then agents in parallel.
        parameters:
          sleep_ms:
            type: int
            default: "0"
            pattern: '\d{1,6}'
            description: How long each NoOp step sleeps on the agent, in milliseconds.
        phases:
          - name: servers
            nodes: servers
            mode: serial
            steps:
              - { name: first, action: no_op, args: { sleep_milliseconds: "${sleep_ms}" }, timeout: 1m, source: a chaos trial's step }
              - { name: second, action: no_op, args: { sleep_milliseconds: "${sleep_ms}" }, timeout: 1m, source: a chaos trial's step }
            gate:
              timeout: 1m
              checks:
                - check: nodes_healthy
          - name: agents
            nodes: agents
            mode: parallel
            failure_budget: 1
            steps:
              - { name: first, action: no_op, args: { sleep_milliseconds: "${sleep_ms}" }, timeout: 1m, source: a chaos trial's step }
              - { name: second, action: no_op, args: { sleep_milliseconds: "${sleep_ms}" }, timeout: 1m, source: a chaos trial's step }
        notes:
          - Not a documented procedure; a test runbook that names the K3s seed only for its server/agent order.
        """;
}
