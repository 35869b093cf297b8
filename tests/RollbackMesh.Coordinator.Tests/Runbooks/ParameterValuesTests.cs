using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Runbooks;

/// <summary>Runbook patterns (parameters, version_matches gates) accept a whole value, never a part of one.</summary>
public sealed class ParameterValuesTests
{
    private static readonly RunbookCatalog Catalog = RunbookCatalog.Load();

    public static TheoryData<string> K3sRunbooks => ["k3s-rollback-embedded-etcd", "k3s-rollback-external-db", "k3s-rollback-sqlite"];

    [Theory]
    [MemberData(nameof(K3sRunbooks))]
    public void Problem_K3sVersionOfARelease_Accepted(string runbook) =>
        Assert.Null(ParameterValues.Problem(K3sVersion(runbook), "v1.29.4+k3s1"));

    [Theory]
    [MemberData(nameof(K3sRunbooks))]
    public void Problem_K3sVersionWithASuffixBeyondTheRelease_Refused(string runbook)
    {
        foreach (var value in new[] { "v1.29.4+k3s1-rc1", "v1.29.4+k3s1.1", "v1.29.4+k3s1+dirty" })
        {
            Assert.Contains("does not match the pattern", ParameterValues.Problem(K3sVersion(runbook), value), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(@"v1\.29\.4\+k3s1", "v1.29.4+k3s1", true)]
    [InlineData(@"v1\.29\.4\+k3s1", "v1.29.4+k3s10", false)]
    [InlineData(@"v1\.29\.4\+k3s1", "v1.29.4+k3s1-rc1", false)]
    [InlineData(@"v1\.29\.4\+k3s1", "xv1.29.4+k3s1", false)]
    [InlineData(@"v1\.29\.4\+k3s1|v1\.28\.9\+k3s1", "v1.28.9+k3s10", false)]
    [InlineData(@"v1\.29\.4\+k3s1(-rc\d+)?", "v1.29.4+k3s1-rc1", true)]
    public void TryCompile_VersionPattern_MatchesWholeVersionsOnly(string pattern, string version, bool matches)
    {
        Assert.True(ParameterValues.TryCompile(pattern, out var regex));
        Assert.Equal(matches, regex.IsMatch(version));
    }

    [Theory]
    [InlineData(@"\d+)|(.*")]
    [InlineData("v1)|(v2")]
    public void TryCompile_PatternClosingTheAnchoringGroup_Refused(string pattern) =>
        Assert.False(ParameterValues.TryCompile(pattern, out _));

    private static RunbookParameter K3sVersion(string runbook) => Catalog.Get(runbook).Parameters.Single(p => p.Name == "k3s_version");
}
