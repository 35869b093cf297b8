using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using RollbackMesh.Protos.Channels;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Operators;

public sealed class OperatorServiceHistoryTests
{
    [Fact]
    public async Task History_EntriesTogetherOverTheMessageLimit_PagedNewestFirstEachUnderTheLimit()
    {
        await using var fleet = await SimulatedFleet.StartAsync([]);
        var service = new OperatorService(new FleetRegistry(new FleetOptions(), TimeProvider.System), new StandInPlanSource(), fleet.Executor, fleet.Audit, fleet.Options);
        // Twelve 512 KiB reasons (an operator may write that much): 6 MiB in all.
        for (var i = 0; i < 12; i++)
        {
            await fleet.Audit.RecordAsync("bob", "run.abort", "", $"{i:D2} " + new string('r', 512 * 1024));
        }

        var received = new List<string>();
        var request = new V1.HistoryRequest { Limit = 12 };
        var pages = 0;
        do
        {
            var page = service.History(request, "bob");
            Assert.InRange(page.CalculateSize(), 1, ChannelSettings.DefaultMaxMessageSize - 1);
            received.InsertRange(0, page.Entries.Select(e => e.Detail[..2]));
            request.PageToken = page.NextPageToken;
            request.Limit = 12 - (uint)received.Count;
            pages++;
        }
        while (request.PageToken.Length > 0 && request.Limit > 0);

        Assert.True(pages > 1, $"{pages} pages");
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"{i:D2}"), received);
    }

    [Fact]
    public async Task History_OneEntryOverAPage_SentWithItsDetailClipped()
    {
        await using var fleet = await SimulatedFleet.StartAsync([]);
        var service = new OperatorService(new FleetRegistry(new FleetOptions(), TimeProvider.System), new StandInPlanSource(), fleet.Executor, fleet.Audit, fleet.Options);
        await fleet.Audit.RecordAsync("bob", "run.abort", "", new string('r', ReplyPages.MaxPageBytes + 1));

        var entry = Assert.Single(service.History(new V1.HistoryRequest(), "bob").Entries);

        Assert.InRange(entry.Detail.Length, 1, 100 * 1024);
        Assert.Contains("clipped", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_ForeignPageToken_InvalidArgument()
    {
        await using var fleet = await SimulatedFleet.StartAsync([]);
        var service = new OperatorService(new FleetRegistry(new FleetOptions(), TimeProvider.System), new StandInPlanSource(), fleet.Executor, fleet.Audit, fleet.Options);

        var error = Assert.Throws<OperatorException>(() => service.History(new V1.HistoryRequest { PageToken = "n0500" }, "bob"));

        Assert.Equal(OperatorErrorCode.InvalidArgument, error.Code);
    }
}
