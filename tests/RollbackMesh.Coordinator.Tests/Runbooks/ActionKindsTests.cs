using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Protos.Actions;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Runbooks;

/// <summary>The runbook validator asks for exactly what actions.proto marks required, for every kind.</summary>
public sealed class ActionKindsTests
{
    [Fact]
    public void Load_EveryKindWithoutArguments_MissesExactlyItsRequiredArguments()
    {
        foreach (var kind in ActionCatalog.Names)
        {
            var missing = RunbookLoader.Load(TestRunbooks.Minimal("bare", kind), "bare.yaml").Errors
                .Select(e => e.Message)
                .Where(m => m.StartsWith("missing required argument", StringComparison.Ordinal))
                .Select(m => m[..m.IndexOf(" in ", StringComparison.Ordinal)]);

            var expected = ActionCatalog.Describe(kind)!.Arguments.Where(a => a.Required)
                .Select(a => $"missing required argument '{a.Name}' for action '{kind}'");
            Assert.Equal(expected, missing);
        }
    }
}
