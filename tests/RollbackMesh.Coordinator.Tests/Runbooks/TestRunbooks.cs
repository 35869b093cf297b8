namespace RollbackMesh.Coordinator.Tests.Runbooks;

/// <summary>Small runbook texts for tests.</summary>
internal static class TestRunbooks
{
    public static string Minimal(string name) => $"""
        name: {name}
        version: "1"
        procedure: test.txt
        phases:
          - name: only
            nodes: all
            steps:
              - name: nothing
                action: no_op
        """;

    /// <summary>One step of <paramref name="action"/> without arguments, on the first server.</summary>
    public static string BareStep(string action) => $"""
        name: bare
        version: "1"
        procedure: test.txt
        phases:
          - name: p
            nodes: first-server
            steps:
              - name: bare
                action: {action}
        """;
}
