using RollbackMesh.Agent.Confinement;
using Xunit;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>Path arguments that try to leave the allowed roots, against the agent's real confinement on a real filesystem.</summary>
public sealed class ConfinementEscapeTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("rbm-confine-").FullName;
    private readonly string _root;
    private readonly PathConfinement _confinement;

    public ConfinementEscapeTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_sandbox, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(_sandbox, "outside"));
        File.WriteAllText(Path.Combine(_sandbox, "outside", "secret"), "x");
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.CreateSymbolicLink(Path.Combine(_root, "to-outside"), Path.Combine(_sandbox, "outside"));
        File.CreateSymbolicLink(Path.Combine(_root, "to-etc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_root, "relative-up"), "../outside/secret");
        File.CreateSymbolicLink(Path.Combine(_root, "etc", "loop"), Path.Combine(_root, "etc", "loop"));
        _confinement = new PathConfinement([_root]);
    }

    [Theory]
    [InlineData("{root}/../outside/secret")]
    [InlineData("{root}/etc/../../outside/secret")]
    [InlineData("{root}/to-outside/secret")]
    [InlineData("{root}/to-outside/new-file")]
    [InlineData("{root}/to-etc/passwd")]
    [InlineData("{root}/relative-up")]
    [InlineData("{root}/to-outside/../../root/../outside")]
    [InlineData("{root}/etc/loop")]
    [InlineData("{root}/to-outside/../etc/x")]
    [InlineData("etc/relative")]
    [InlineData("/etc/shadow")]
    public void Confine_Escape_RefusedNamingThePath(string template)
    {
        var path = template.Replace("{root}", _root, StringComparison.Ordinal);

        var error = Assert.Throws<PathConfinementException>(() => _confinement.Confine(path));

        Assert.Equal(path, error.OffendingPath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{root}/etc/felix.cfg")]
    [InlineData("{root}/etc/../etc/new-file")]
    public void Confine_InsideRoot_Allowed(string template)
    {
        var path = template.Replace("{root}", _root, StringComparison.Ordinal);

        Assert.StartsWith(_root + "/", _confinement.Confine(path), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);
}
