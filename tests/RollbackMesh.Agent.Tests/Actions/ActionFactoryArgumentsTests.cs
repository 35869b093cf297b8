using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Confinement;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.Protos.Actions;
using RollbackMesh.Test;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions;

/// <summary>
/// The agent's defaults and path confinement come from actions.proto's options alone: a new message is handled with no
/// table naming its fields, and every path argument of every kind is confined.
/// </summary>
public sealed class ActionFactoryArgumentsTests : IDisposable
{
    private readonly AgentHarness _h = new();

    [Fact]
    public void Prepare_NewMessage_DefaultsFilledAndGivenPathsConfined()
    {
        var factory = new ActionFactory(_h.Options with { AllowedRoots = [_h.Allowed, "/etc/test"] });
        var step = new TestRestoreAction { DumpPath = Path.Combine(_h.Allowed, "dump") };

        factory.Prepare(step);

        Assert.Equal(Path.Combine(_h.Allowed, "dump"), step.DumpPath);
        Assert.Equal("/etc/test/restore.conf", step.ConfigPath);
        Assert.Equal(_h.Options.DefaultKubeconfig, step.Kubeconfig);
        Assert.Equal((string.Empty, 120u), (step.ExtraPath, step.TimeoutSeconds));
    }

    [Fact]
    public void Prepare_NewMessageDefaultOutsideTheRoots_RefusedNamingTheArgument()
    {
        var factory = new ActionFactory(_h.Options);

        var ex = Assert.Throws<PathConfinementException>(() => factory.Prepare(new TestRestoreAction { DumpPath = Path.Combine(_h.Allowed, "dump") }));

        Assert.Equal(("/etc/test/restore.conf", true), (ex.OffendingPath, ex.Message.Contains("refused: config_path: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Create_EveryKindWithEveryPathOutsideTheRoots_RefusedNamingEachPathArgument()
    {
        foreach (var kind in ActionCatalog.Names)
        {
            var action = ActionCatalog.Create(kind, out var inner);
            var paths = ActionCatalog.Describe(kind)!.Paths.ToList();
            paths.ForEach(p => p.Field.Accessor.SetValue(inner, "/outside/" + p.Name));

            var ex = Record.Exception(() => _h.Build(action));

            Assert.All(paths, p => Assert.Contains($"{p.Name}: ", ex?.Message ?? "(built)", StringComparison.Ordinal));
        }
    }

    public void Dispose() => _h.Dispose();
}
