namespace RollbackMesh.Transport;

public sealed partial class Metadata
{
    /// <summary>One metadata entry: an ASCII <see cref="Value"/> or, for <c>-bin</c> keys, <see cref="ValueBytes"/>.</summary>
    /// <param name="Key">The lowercase key.</param>
    /// <param name="Value">The ASCII value; null for binary entries.</param>
    /// <param name="ValueBytes">The binary value; null for ASCII entries.</param>
    public sealed record Entry(string Key, string? Value, byte[]? ValueBytes)
    {
        /// <summary>True when the entry carries a binary value (its key ends in <c>-bin</c>).</summary>
        public bool IsBinary => ValueBytes is not null;
    }
}
