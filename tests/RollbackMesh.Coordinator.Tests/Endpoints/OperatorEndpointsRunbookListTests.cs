using System.Text;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Coordinator.Tests.Hosting;
using RollbackMesh.Coordinator.Tests.Runbooks;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Endpoints;

public sealed class OperatorEndpointsRunbookListTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rbm-runbooks-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ListRunbooks_CatalogueAtTheDirectoryLimit_EveryRunbookListedInPagesUnderTheMessageLimit()
    {
        // At both default limits: files of exactly 1 MiB filling exactly 16 MiB, each summary about 1 MiB (its
        // description), so the catalogue is four times the 4 MiB a reply may be.
        var limits = new RunbookLimits();
        var count = (int)(limits.MaxDirectoryBytes / limits.MaxFileBytes);
        var names = Enumerable.Range(1, count).Select(i => $"big-{i:D2}").ToList();
        foreach (var name in names)
        {
            var head = TestRunbooks.Minimal(name) + "\ndescription: \"";
            var padding = (int)limits.MaxFileBytes - Encoding.UTF8.GetByteCount(head) - "\"\n".Length;
            File.WriteAllText(Path.Combine(_directory, name + ".yaml"), head + new string('d', padding) + "\"\n");
        }

        await using var coordinator = await TestCoordinator.StartAsync(runbookDirectory: _directory);
        var client = new Operator.OperatorClient(coordinator.Channel);
        var listed = new List<string>();
        var request = new ListRunbooksRequest();
        var pages = 0;
        do
        {
            var page = await client.ListRunbooksAsync(request);
            Assert.InRange(page.CalculateSize(), 1, ChannelSettings.DefaultMaxMessageSize - 1);
            listed.AddRange(page.Runbooks.Select(r => r.Name));
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(count, Directory.GetFiles(_directory).Length);
        Assert.True(pages > 4, $"{pages} pages");
        Assert.Equal(listed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), listed);
        Assert.Superset(names.ToHashSet(), listed.ToHashSet());
        Assert.Contains("noop", listed);
    }

    [Fact]
    public async Task ListRunbooks_DirectoryWithRefusedFiles_EachRefusalLoggedAndTheOthersListed()
    {
        File.WriteAllText(Path.Combine(_directory, "good.yaml"), TestRunbooks.Minimal("good"));
        File.WriteAllBytes(Path.Combine(_directory, "bad-utf8.yaml"), [.. Encoding.UTF8.GetBytes(TestRunbooks.Minimal("bad")), 0xC3, 0x28]);
        File.WriteAllText(Path.Combine(_directory, "huge.yaml"), TestRunbooks.Minimal("huge") + "\n#" + new string('x', 2 * 1024 * 1024));

        await using var coordinator = await TestCoordinator.StartAsync(runbookDirectory: _directory);
        var listed = (await new Operator.OperatorClient(coordinator.Channel).ListRunbooksAsync(new ListRunbooksRequest())).Runbooks.Select(r => r.Name).ToList();

        Assert.Contains("good", listed);
        Assert.Contains("noop", listed);
        Assert.DoesNotContain("bad", listed);
        Assert.DoesNotContain("huge", listed);
        var refusals = coordinator.Logs.Lines.Where(l => l.StartsWith("Error ", StringComparison.Ordinal) && l.Contains("Runbook refused: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.Contains(refusals, l => l.Contains("bad-utf8.yaml:9:", StringComparison.Ordinal) && l.Contains("invalid UTF-8", StringComparison.Ordinal));
        Assert.Contains(refusals, l => l.Contains("huge.yaml: the file is 2 MiB", StringComparison.Ordinal));
    }
}
