namespace RollbackMesh.DBus.Tests;

public sealed class MatchRuleTests
{
    [Fact]
    public void ToString_AllKeys_QuotesAndEscapesApostrophes()
    {
        var rule = new MatchRule { Sender = "org.x", Interface = "org.x.I", Member = "M", Path = "/p", Arg0 = "it's" };
        Assert.Equal(@"type='signal',sender='org.x',interface='org.x.I',member='M',path='/p',arg0='it'\''s'", rule.ToString());
    }

    [Fact]
    public void Matches_WellKnownSender_IgnoresSenderLocally()
    {
        var rule = new MatchRule { Sender = "org.freedesktop.systemd1", Member = "JobRemoved" };
        Assert.True(rule.Matches(Signal(":1.7", "/org/freedesktop/systemd1", "JobRemoved")));
        Assert.False(rule.Matches(Signal(":1.7", "/org/freedesktop/systemd1", "JobNew")));
    }

    [Fact]
    public void Matches_UniqueSenderAndPathNamespace_ChecksBoth()
    {
        var rule = new MatchRule { Sender = ":1.7", PathNamespace = "/a" };
        Assert.True(rule.Matches(Signal(":1.7", "/a/b", "M")));
        Assert.False(rule.Matches(Signal(":1.8", "/a/b", "M")));
        Assert.False(rule.Matches(Signal(":1.7", "/ab", "M")));
    }

    private static DBusMessage Signal(string sender, string path, string member) =>
        new() { Type = MessageType.Signal, Sender = sender, Path = path, Interface = "i.f", Member = member };
}
