using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.K3s;

public sealed class K3sTokenCheckActionTests : IDisposable
{
    // The secure form K3s writes to server/token (docs.k3s.io/cli/token): K10<CA hash>::server:<password>.
    private const string Password = "b0ba9a3cfe5d4c0e8a1f";
    private const string FullToken = "K1071b1d4b8b8d6c3e7f0a2b9c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8::server:" + Password;

    private readonly AgentHarness _h = new();
    private readonly string _tokenPath;

    public K3sTokenCheckActionTests() => _tokenPath = Path.Combine(_h.Root.Dir("allowed/var/lib/rancher/k3s/server"), "token");

    private IAgentAction Check(string expected = "") =>
        _h.Build(new RollbackMesh.V1.Action { K3STokenCheck = new K3sTokenCheck { TokenPath = _tokenPath, ExpectedToken = expected } });

    private async Task<string> FailureAsync(IAgentAction action) =>
        (await Assert.ThrowsAsync<ActionFailedException>(() => action.ExecuteAsync(_h.Context(), default))).Message;

    [Fact]
    public async Task ExecuteAsync_TokenFileMissing_FailsNamingThePath()
    {
        var message = await FailureAsync(Check(FullToken));
        Assert.Contains(_tokenPath, message, StringComparison.Ordinal);
        Assert.Contains("does not exist", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_TokenFileEmpty_Fails()
    {
        File.WriteAllText(_tokenPath, "\n");
        var message = await FailureAsync(Check());
        Assert.Contains("is empty", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("K1071b1d4b8b8d6c3e7f0a2b9c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8::server:wrongpassword")]
    [InlineData("wrongpassword")]
    [InlineData("server:" + Password)]
    public async Task ExecuteAsync_TokenDiffers_FailsShowingNeitherToken(string given)
    {
        File.WriteAllText(_tokenPath, FullToken + "\n");
        var action = Check(given);
        var message = await FailureAsync(action);
        var description = await action.DescribeAsync(_h.Context(), default);

        Assert.Contains("does not match", message, StringComparison.Ordinal);
        foreach (var text in new[] { message, description })
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain("wrongpassword", text, StringComparison.Ordinal);
            Assert.DoesNotContain("K1071b1d4", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(FullToken)]
    [InlineData(Password)]
    public async Task ExecuteAsync_FullTokenOrPasswordPartMatches_PassesWithoutShowingIt(string given)
    {
        File.WriteAllText(_tokenPath, FullToken + "\n");
        var action = Check(given);
        var summary = await action.ExecuteAsync(_h.Context(), default);
        var description = await action.DescribeAsync(_h.Context(), default);

        Assert.Contains("holds the given token", summary, StringComparison.Ordinal);
        Assert.True(await action.VerifyAsync(_h.Context(), default));
        Assert.False(await action.IsAlreadyDoneAsync(_h.Context(), default));
        Assert.DoesNotContain(Password, summary + description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ShortFormatFileAndNoExpectedToken_PassesOnExistence()
    {
        File.WriteAllText(_tokenPath, Password);
        Assert.Contains("holds a token", await Check().ExecuteAsync(_h.Context(), default), StringComparison.Ordinal);
        Assert.Contains("holds the given token", await Check(Password).ExecuteAsync(_h.Context(), default), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ExpectedTokenTwoLines_RefusedWithoutQuotingIt()
    {
        var ex = Assert.Throws<ActionValidationException>(() => Check(Password + "\nsecond"));
        Assert.Contains("expected_token", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunStep_Mismatch_StepResultAndJournalHoldNoToken()
    {
        File.WriteAllText(_tokenPath, FullToken);
        var result = await _h.RunStepAsync(new RollbackMesh.V1.Action { K3STokenCheck = new K3sTokenCheck { TokenPath = _tokenPath, ExpectedToken = "wrongpassword" } }, "run-1", "step-1");

        Assert.Contains("does not match", result.ToString(), StringComparison.Ordinal);
        // The journal's database and any WAL/SHM files beside it, read as raw bytes.
        var journal = Directory.GetFiles(Path.GetDirectoryName(_h.JournalPath)!)
            .Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f)));
        var everything = result + string.Concat(journal) + string.Join("\n", _h.Output);
        Assert.DoesNotContain(Password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("wrongpassword", everything, StringComparison.Ordinal);
    }

    public void Dispose() => _h.Dispose();
}
