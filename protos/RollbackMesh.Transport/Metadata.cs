using System.Collections;

namespace RollbackMesh.Transport;

/// <summary>
/// Custom call metadata (request headers, response headers or trailers). Keys are lowercase ASCII; keys ending in
/// <c>-bin</c> carry binary values, sent base64-encoded; all other values are printable ASCII.
/// </summary>
public sealed partial class Metadata : IEnumerable<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary-valued key.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds an ASCII entry. The key is lowercased; it must not end in <c>-bin</c>.</summary>
    /// <exception cref="ArgumentException">The key or value is not valid metadata.</exception>
    public void Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        key = NormalizeKey(key);
        if (key.EndsWith(BinarySuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Key '{key}' ends in '-bin'; add a byte[] value instead.", nameof(key));
        }

        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                throw new ArgumentException($"The value of '{key}' must be printable ASCII.", nameof(value));
            }
        }

        _entries.Add(new Entry(key, value, null));
    }

    /// <summary>Adds a binary entry. The key is lowercased; it must end in <c>-bin</c>.</summary>
    /// <exception cref="ArgumentException">The key is not a valid binary key.</exception>
    public void Add(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        key = NormalizeKey(key);
        if (!key.EndsWith(BinarySuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Key '{key}' must end in '-bin' to carry a binary value.", nameof(key));
        }

        _entries.Add(new Entry(key, null, value));
    }

    /// <summary>The last ASCII value for <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (!_entries[i].IsBinary && string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i].Value;
            }
        }

        return null;
    }

    /// <summary>The last binary value for <paramref name="key"/>, or null.</summary>
    public byte[]? GetValueBytes(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].IsBinary && string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i].ValueBytes;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds an entry whose key was already validated (used when reading from the wire).</summary>
    internal void AddEntry(Entry entry) => _entries.Add(entry);

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var lower = key.ToLowerInvariant();
        foreach (var c in lower)
        {
            var valid = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.';
            if (!valid)
            {
                throw new ArgumentException($"Metadata key '{key}' may contain only 0-9 a-z - _ .", nameof(key));
            }
        }

        if (lower.StartsWith("grpc-", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Metadata key '{key}' is reserved for the gRPC protocol.", nameof(key));
        }

        return lower;
    }
}
