namespace RollbackMesh.Coordinator.Tests.Runbooks;

/// <summary>Small runbook texts for tests.</summary>
internal static class TestRunbooks
{
    /// <summary>One phase on all nodes with one step of <paramref name="action"/>, without arguments.</summary>
    public static string Minimal(string name, string action = "no_op") => $"""
        name: {name}
        version: "1"
        procedure: test.txt
        phases:
          - name: only
            nodes: all
            steps:
              - name: nothing
                action: {action}
        """;
}
