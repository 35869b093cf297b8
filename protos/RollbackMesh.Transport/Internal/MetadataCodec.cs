namespace RollbackMesh.Transport.Internal;

/// <summary>Converts <see cref="Metadata"/> to and from HTTP/2 header fields.</summary>
internal static class MetadataCodec
{
    /// <summary>Writes every entry through <paramref name="add"/>; binary values as unpadded base64.</summary>
    public static void WriteHeaders(Metadata metadata, Action<string, string> add)
    {
        foreach (var entry in metadata)
        {
            add(entry.Key, entry.ValueBytes is { } bytes ? Convert.ToBase64String(bytes).TrimEnd('=') : entry.Value!);
        }
    }

    /// <summary>Adds one received header unless it is reserved by HTTP/2 or gRPC; bad base64 is dropped.</summary>
    public static void AddReceived(Metadata metadata, string name, IEnumerable<string> values)
    {
        var key = name.ToLowerInvariant();
        if (IsReserved(key))
        {
            return;
        }

        var binary = key.EndsWith(Metadata.BinarySuffix, StringComparison.Ordinal);
        foreach (var value in values)
        {
            if (!binary)
            {
                metadata.AddEntry(new Metadata.Entry(key, value, null));
                continue;
            }

            // Several binary values may arrive joined with commas; base64 never contains one.
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (TryDecodeBase64(part, out var bytes))
                {
                    metadata.AddEntry(new Metadata.Entry(key, null, bytes));
                }
            }
        }
    }

    private static bool IsReserved(string key) =>
        key.StartsWith(':')
        || key is "content-type" or "te" or "host" or "content-length" or "connection" or "transfer-encoding"
        || (key.StartsWith("grpc-", StringComparison.Ordinal) && key != "grpc-status-details-bin");

    private static bool TryDecodeBase64(string value, out byte[] bytes)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
