using System.Text;

namespace RollbackMesh.DBus;

/// <summary>A bus match rule for <see cref="DBusConnection.AddMatchAsync"/>; unset keys match anything.</summary>
public sealed record MatchRule
{
    /// <summary>Message type; signals by default.</summary>
    public MessageType Type { get; init; } = MessageType.Signal;

    /// <summary>Sender bus name (unique or well-known).</summary>
    public string? Sender { get; init; }

    /// <summary>Interface name.</summary>
    public string? Interface { get; init; }

    /// <summary>Member (signal) name.</summary>
    public string? Member { get; init; }

    /// <summary>Exact object path.</summary>
    public string? Path { get; init; }

    /// <summary>Object path namespace: the path itself or anything below it.</summary>
    public string? PathNamespace { get; init; }

    /// <summary>The first body argument, which must be a string equal to this.</summary>
    public string? Arg0 { get; init; }

    /// <summary>The rule text the bus daemon expects, e.g. <c>type='signal',interface='a.b'</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Append(text, "type", Type switch
        {
            MessageType.MethodCall => "method_call",
            MessageType.MethodReturn => "method_return",
            MessageType.Error => "error",
            MessageType.Signal => "signal",
            _ => null,
        });
        Append(text, "sender", Sender);
        Append(text, "interface", Interface);
        Append(text, "member", Member);
        Append(text, "path", Path);
        Append(text, "path_namespace", PathNamespace);
        Append(text, "arg0", Arg0);
        return text.ToString();
    }

    /// <summary>
    /// The local half of matching, to route a message the daemon delivered to the right handlers. A well-known
    /// sender name is not checked here: messages carry the owner's unique name, and the daemon already applied it.
    /// </summary>
    internal bool Matches(DBusMessage message) =>
        message.Type == Type
        && (Sender is null || !Sender.StartsWith(':') || Sender == message.Sender)
        && (Interface is null || Interface == message.Interface)
        && (Member is null || Member == message.Member)
        && (Path is null || Path == message.Path)
        && (PathNamespace is null || IsInNamespace(message.Path, PathNamespace))
        && (Arg0 is null || (message.Body.Count > 0 && message.Body[0] is string arg0 && arg0 == Arg0));

    private static bool IsInNamespace(string? path, string ns) =>
        path is not null
        && (ns == "/" || path == ns || path.StartsWith(ns + "/", StringComparison.Ordinal));

    /// <summary>Values are quoted; an apostrophe is written as <c>'\''</c> (close quote, escaped quote, reopen).</summary>
    private static void Append(StringBuilder text, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(key).Append("='").Append(value.Replace("'", @"'\''", StringComparison.Ordinal)).Append('\'');
    }
}
