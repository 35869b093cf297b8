namespace RollbackMesh.DBus;

/// <summary>The message type byte of the D-Bus header.</summary>
public enum MessageType : byte
{
    /// <summary>Not a valid type; never sent.</summary>
    Invalid = 0,

    /// <summary>A method call.</summary>
    MethodCall = 1,

    /// <summary>A successful reply to a method call.</summary>
    MethodReturn = 2,

    /// <summary>An error reply to a method call.</summary>
    Error = 3,

    /// <summary>A signal emission.</summary>
    Signal = 4,
}
