namespace RollbackMesh.DBus;

/// <summary>A method call to send with <see cref="DBusConnection.CallMethodAsync"/>.</summary>
/// <param name="Destination">Bus name of the callee, e.g. <c>org.freedesktop.systemd1</c>.</param>
/// <param name="Path">Object path.</param>
/// <param name="Interface">Interface name.</param>
/// <param name="Member">Method name.</param>
public sealed record MethodCall(string Destination, string Path, string Interface, string Member)
{
    /// <summary>Signature of <see cref="Arguments"/>; empty for none.</summary>
    public string Signature { get; init; } = "";

    /// <summary>Arguments, one per complete type of <see cref="Signature"/>.</summary>
    public IReadOnlyList<object> Arguments { get; init; } = [];

    /// <summary>Header flags; <see cref="MessageFlags.NoReplyExpected"/> is not allowed here.</summary>
    public MessageFlags Flags { get; init; }

    internal DBusMessage ToMessage() => new()
    {
        Type = MessageType.MethodCall,
        Flags = Flags,
        Destination = Destination,
        Path = Path,
        Interface = Interface,
        Member = Member,
        Signature = Signature,
        Body = Arguments,
    };
}
