using Xunit;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>The tests that share one <see cref="NspawnTestbed"/> (booted once, torn down after the last of them).</summary>
[CollectionDefinition(Name)]
public sealed class NspawnCollection : ICollectionFixture<NspawnTestbed>
{
    /// <summary>The collection name for [Collection(...)].</summary>
    public const string Name = "nspawn testbed";
}
