using Google.Protobuf;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.Coordinator.Operators;

/// <summary>
/// Cuts a list reply into pages that stay under the gRPC message limit at any fleet or catalogue size: at most
/// <see cref="MaxPageSize"/> items and, past the first item, no more than <see cref="MaxPageBytes"/> of them encoded.
/// Items go out in ordinal key order and the page token is the last key sent, so the next page starts after it
/// even when items come or go between calls.
/// </summary>
internal static class ReplyPages
{
    /// <summary>The most items in one page, and the page size when the caller asks for 0.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Half the message limit: room for the reply's other fields, and for one item as large as the rest.</summary>
    public const int MaxPageBytes = ChannelSettings.DefaultMaxMessageSize / 2;

    /// <summary>
    /// The page after <paramref name="pageToken"/>. An item that alone is over <see cref="MaxPageBytes"/> is sent as
    /// <paramref name="shrink"/> makes it, so one oversized item cannot make a page fail.
    /// </summary>
    public static (List<T> Items, string NextPageToken) Take<T>(
        IEnumerable<T> items, Func<T, string> key, uint pageSize, string pageToken, Func<T, T> shrink)
        where T : IMessage
    {
        var limit = pageSize is 0 or > MaxPageSize ? MaxPageSize : (int)pageSize;
        var page = new List<T>();
        long bytes = 0;
        foreach (var candidate in items.Where(i => string.CompareOrdinal(key(i), pageToken) > 0).OrderBy(key, StringComparer.Ordinal))
        {
            var item = candidate.CalculateSize() > MaxPageBytes ? shrink(candidate) : candidate;
            var size = CodedOutputStream.ComputeMessageSize(item) + 1;
            if (page.Count == limit || (page.Count > 0 && bytes + size > MaxPageBytes))
            {
                return (page, key(page[^1]));
            }

            page.Add(item);
            bytes += size;
        }

        return (page, "");
    }
}
