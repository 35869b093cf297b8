using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Coordinator.Tests.Planning;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Runbooks;

/// <summary>The SQLite and external-database runbooks check the server token on the first server before anything runs.</summary>
public sealed class K3sTokenPreflightTests
{
    private const string Token = "K10c0ffee::server:Sq1iteT0kenPassw0rd";
    private static readonly RunbookCatalog Catalog = RunbookCatalog.Load();

    [Theory]
    [InlineData("k3s-rollback-sqlite")]
    [InlineData("k3s-rollback-external-db")]
    public void CreatePlan_TokenGiven_FirstServerChecksTheTokenFileInPreflightAndThePlanTextHidesIt(string runbook)
    {
        var parameters = BuiltInParameters.ByRunbook[runbook].SetItem("token", Token);

        var plan = new RunbookPlanner().CreatePlan(Catalog.Get(runbook), parameters, TestFleets.K3s(1, 2));

        var check = Assert.Single(plan.Preflight, s => ActionText.KindName(s.Action) == "k3s_token_check");
        Assert.Equal("server-1", check.Node);
        Assert.Equal(("/var/lib/rancher/k3s/server/token", Token), (check.Action.K3STokenCheck.TokenPath, check.Action.K3STokenCheck.ExpectedToken));
        Assert.True(ActionKinds.IsReadOnly("k3s_token_check"));
        Assert.Contains("token", plan.SecretParameters);
        Assert.DoesNotContain("Passw0rd", OperatorWireMapper.ToWire(plan).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("k3s-rollback-sqlite")]
    [InlineData("k3s-rollback-external-db")]
    public void CreatePlan_NoToken_TheFileIsStillCheckedForExistence(string runbook)
    {
        var plan = new RunbookPlanner().CreatePlan(Catalog.Get(runbook), BuiltInParameters.ByRunbook[runbook], TestFleets.K3s(1, 0));

        var check = Assert.Single(plan.Preflight, s => ActionText.KindName(s.Action) == "k3s_token_check");
        Assert.Equal(string.Empty, check.Action.K3STokenCheck.ExpectedToken);
    }
}
