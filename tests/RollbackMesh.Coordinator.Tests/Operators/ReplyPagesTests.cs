using RollbackMesh.Coordinator.Operators;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Operators;

public sealed class ReplyPagesTests
{
    [Fact]
    public void Take_PageSizeZero_DefaultsToMaxPageSizeAndTokenIsLastKey()
    {
        var nodes = Enumerable.Range(0, ReplyPages.MaxPageSize + 1).Select(i => new NodeInfo { Name = $"n{i:D4}" }).ToList();

        var (page, next) = ReplyPages.Take(nodes, n => n.Name, 0, "", n => n);
        var (rest, end) = ReplyPages.Take(nodes, n => n.Name, 0, next, n => n);

        Assert.Equal(ReplyPages.MaxPageSize, page.Count);
        Assert.Equal(page[^1].Name, next);
        Assert.Equal("n0500", Assert.Single(rest).Name);
        Assert.Equal("", end);
    }

    [Fact]
    public void Take_ItemsLargerThanTheByteBudget_PageCutBeforeTheBudget()
    {
        var nodes = Enumerable.Range(0, 5).Select(i => Node($"n{i}", ReplyPages.MaxPageBytes / 3)).ToList();

        var (page, next) = ReplyPages.Take(nodes, n => n.Name, 100, "", n => n);

        Assert.Equal(["n0", "n1"], page.Select(n => n.Name));
        Assert.Equal("n1", next);
        Assert.True(page.Sum(n => n.CalculateSize()) <= ReplyPages.MaxPageBytes);
    }

    [Fact]
    public void Take_OneItemOverTheByteBudget_SentShrunk()
    {
        var nodes = new[] { Node("huge", ReplyPages.MaxPageBytes + 1), Node("small", 10) };

        var (page, next) = ReplyPages.Take(nodes, n => n.Name, 0, "", n => new NodeInfo { Name = n.Name });

        Assert.Equal(["huge", "small"], page.Select(n => n.Name));
        Assert.Empty(page[0].Facts);
        Assert.Equal("", next);
    }

    [Fact]
    public void Take_TokenOfARemovedItem_ContinuesAfterIt()
    {
        var nodes = new[] { new NodeInfo { Name = "a" }, new NodeInfo { Name = "c" } };

        var (page, _) = ReplyPages.Take(nodes, n => n.Name, 0, "b", n => n);

        Assert.Equal("c", Assert.Single(page).Name);
    }

    private static NodeInfo Node(string name, int factBytes)
    {
        var node = new NodeInfo { Name = name };
        node.Facts.Add("blob", new string('f', factBytes));
        return node;
    }
}
