using RollbackMesh.Protos.Conventions;

namespace RollbackMesh.Protos.Tests.Conventions;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1m500ms", 60_500)]
    [InlineData("1.5s", 1500)]
    [InlineData("0s", 0)]
    [InlineData(" 90s ", 90_000)]
    [InlineData("00:00:30", 30_000)]
    [InlineData("1.02:00:00", 93_600_000)]
    public void TryParse_AgentAndRunbookForms_Parse(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10")] // TimeSpan would read a bare number as days
    [InlineData("5 minutes")]
    [InlineData("30m1h")]
    [InlineData("5s5s")]
    [InlineData("-5s")]
    [InlineData("-00:00:05")]
    [InlineData("1..5s")]
    [InlineData("s")]
    [InlineData("99999999999999999999h")]
    public void TryParse_OtherText_Fails(string? text)
    {
        Assert.False(Durations.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(90_000, "1m30s")]
    [InlineData(93_600_000, "26h")]
    [InlineData(3_723_004, "1h2m3s4ms")]
    public void Format_WholeMilliseconds_ShortestSpellingThatParsesBack(long milliseconds, string expected)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);

        var text = Durations.Format(duration);

        Assert.Equal(expected, text);
        Assert.True(Durations.TryParse(text, out var back));
        Assert.Equal(duration, back);
    }
}
