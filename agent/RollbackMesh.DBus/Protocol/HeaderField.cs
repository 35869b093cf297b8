namespace RollbackMesh.DBus.Protocol;

/// <summary>Header field codes from the spec; each travels as a (byte, variant) struct.</summary>
internal enum HeaderField : byte
{
    Path = 1,
    Interface = 2,
    Member = 3,
    ErrorName = 4,
    ReplySerial = 5,
    Destination = 6,
    Sender = 7,
    Signature = 8,
    UnixFds = 9,
}
