using RollbackMesh.Agent.Confinement;
using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Confinement;

public sealed class PathConfinementTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly string _allowed;
    private readonly string _outside;
    private readonly PathConfinement _confinement;

    public PathConfinementTests()
    {
        _allowed = _root.Dir("allowed");
        _outside = _root.Dir("outside");
        _root.Write("outside/secret", "x");
        _confinement = new PathConfinement([_allowed]);
    }

    [Fact]
    public void Confine_PathInsideRoot_ReturnsResolvedPath()
    {
        var file = _root.Write("allowed/etc/felix.cfg", "a=b\n");
        Assert.Equal(file, _confinement.Confine(file));
    }

    [Fact]
    public void Confine_NotYetExistingLeaf_ResolvedThroughParent()
    {
        var leaf = Path.Combine(_allowed, "new", "deeper", "file.txt");
        Assert.Equal(leaf, _confinement.Confine(leaf));
    }

    [Fact]
    public void Confine_DotDotTraversal_RefusedNamingPath()
    {
        var path = _allowed + "/../outside/secret";
        var ex = Assert.Throws<PathConfinementException>(() => _confinement.Confine(path));
        Assert.Equal(path, ex.OffendingPath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Confine_SymlinkLeafPointingOutside_Refused()
    {
        var link = Path.Combine(_allowed, "link");
        File.CreateSymbolicLink(link, Path.Combine(_outside, "secret"));
        var ex = Assert.Throws<PathConfinementException>(() => _confinement.Confine(link));
        Assert.Contains(link, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_outside, "secret"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Confine_SymlinkedParentDirectoryWithMissingLeaf_Refused()
    {
        var dirLink = Path.Combine(_allowed, "etc");
        Directory.CreateSymbolicLink(dirLink, _outside);
        var path = Path.Combine(dirLink, "not-yet", "file.cfg");
        var ex = Assert.Throws<PathConfinementException>(() => _confinement.Confine(path));
        Assert.Equal(path, ex.OffendingPath);
    }

    [Fact]
    public void Confine_DotDotAfterSymlink_AppliedToLinkTarget()
    {
        // allowed/deep -> outside/sub; allowed/deep/../secret is outside/secret, not allowed/secret.
        _root.Dir("outside/sub");
        Directory.CreateSymbolicLink(Path.Combine(_allowed, "deep"), Path.Combine(_outside, "sub"));
        Assert.Throws<PathConfinementException>(() => _confinement.Confine(Path.Combine(_allowed, "deep/../secret")));
    }

    [Fact]
    public void Confine_RelativeLinkStayingInside_Allowed()
    {
        var target = _root.Write("allowed/real.cfg", "x");
        File.CreateSymbolicLink(Path.Combine(_allowed, "alias.cfg"), "real.cfg");
        Assert.Equal(target, _confinement.Confine(Path.Combine(_allowed, "alias.cfg")));
    }

    [Fact]
    public void Confine_SiblingWithRootAsPrefix_Refused()
    {
        var sibling = _root.Dir("allowed-evil");
        Assert.Throws<PathConfinementException>(() => _confinement.Confine(Path.Combine(sibling, "x")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("relative/path")]
    [InlineData("/tmp/a\0b")]
    public void Confine_MalformedPath_Refused(string path)
    {
        Assert.Throws<PathConfinementException>(() => _confinement.Confine(path));
    }

    [Fact]
    public void Confine_SymlinkLoop_Refused()
    {
        File.CreateSymbolicLink(Path.Combine(_allowed, "a"), Path.Combine(_allowed, "b"));
        File.CreateSymbolicLink(Path.Combine(_allowed, "b"), Path.Combine(_allowed, "a"));
        var ex = Assert.Throws<PathConfinementException>(() => _confinement.Confine(Path.Combine(_allowed, "a")));
        Assert.Contains("symbolic links", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Dispose();
}
