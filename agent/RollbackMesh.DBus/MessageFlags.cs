namespace RollbackMesh.DBus;

/// <summary>The flags byte of the D-Bus header.</summary>
[Flags]
public enum MessageFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>The caller does not want a reply.</summary>
    NoReplyExpected = 0x1,

    /// <summary>The bus must not launch an owner for the destination name.</summary>
    NoAutoStart = 0x2,

    /// <summary>The caller is prepared to wait for interactive authorization (e.g. polkit).</summary>
    AllowInteractiveAuthorization = 0x4,
}
