namespace RollbackMesh.DBus;

/// <summary>One D-Bus message: the header fields that matter to a client and the unmarshalled body.</summary>
public sealed record DBusMessage
{
    /// <summary>The message type.</summary>
    public required MessageType Type { get; init; }

    /// <summary>Header flags.</summary>
    public MessageFlags Flags { get; init; }

    /// <summary>The sender-assigned serial; the connection sets it when sending.</summary>
    public uint Serial { get; init; }

    /// <summary>PATH header field (method calls and signals).</summary>
    public string? Path { get; init; }

    /// <summary>INTERFACE header field.</summary>
    public string? Interface { get; init; }

    /// <summary>MEMBER header field (method or signal name).</summary>
    public string? Member { get; init; }

    /// <summary>ERROR_NAME header field (errors only).</summary>
    public string? ErrorName { get; init; }

    /// <summary>REPLY_SERIAL header field (replies and errors).</summary>
    public uint? ReplySerial { get; init; }

    /// <summary>DESTINATION header field.</summary>
    public string? Destination { get; init; }

    /// <summary>SENDER header field, filled in by the bus daemon.</summary>
    public string? Sender { get; init; }

    /// <summary>UNIX_FDS header field: how many file descriptors travel with the message.</summary>
    public uint UnixFdCount { get; init; }

    /// <summary>Body signature; empty for an empty body.</summary>
    public string Signature { get; init; } = "";

    /// <summary>Body values, one per complete type of <see cref="Signature"/>, shaped as <see cref="DBusVariant.Value"/> documents.</summary>
    public IReadOnlyList<object> Body { get; init; } = [];
}
