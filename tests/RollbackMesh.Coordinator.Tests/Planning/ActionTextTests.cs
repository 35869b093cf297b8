using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Protos.Actions;
using RollbackMesh.Test;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Planning;

/// <summary>Plan text masks what actions.proto marks secret, for any action message, with no list of secret names.</summary>
public sealed class ActionTextTests
{
    [Fact]
    public void Arguments_NewMessageWithASecretField_MasksItFromItsOptionAlone()
    {
        var step = new TestRestoreAction { DumpPath = "/var/lib/test/dump", Password = "hunter2", TimeoutSeconds = 5 };

        Assert.Equal("dump_path=/var/lib/test/dump password=*** timeout_seconds=5", ActionText.Arguments(step));
    }

    [Fact]
    public void Arguments_EverySecretArgumentOfEveryKind_NeverShown()
    {
        foreach (var kind in ActionCatalog.Names)
        {
            var action = ActionCatalog.Create(kind, out var inner);
            foreach (var secret in ActionCatalog.Describe(kind)!.Arguments.Where(a => a.Secret))
            {
                secret.Field.Accessor.SetValue(inner, "s3cr3t-" + secret.Name);
            }

            var text = ActionText.Describe(action);

            Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
            Assert.All(ActionCatalog.Describe(kind)!.Arguments.Where(a => a.Secret), a => Assert.Contains($"{a.Name}=***", text, StringComparison.Ordinal));
        }
    }
}
