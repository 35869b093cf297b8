using System.Net.Sockets;
using System.Text;

namespace RollbackMesh.DBus;

/// <summary>
/// Parses D-Bus server addresses (<c>transport:key=value,...;transport:...</c>) into socket endpoints.
/// Only the unix transport with <c>path=</c> or <c>abstract=</c> is supported; other entries are skipped.
/// </summary>
internal static class DBusAddress
{
    public static IReadOnlyList<UnixDomainSocketEndPoint> Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var endpoints = new List<UnixDomainSocketEndPoint>();
        var problems = new List<string>();
        foreach (var entry in address.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                problems.Add($"'{entry}' has no transport");
                continue;
            }

            var transport = entry[..colon];
            if (transport != "unix")
            {
                problems.Add($"transport '{transport}' is not supported");
                continue;
            }

            var keys = ParseKeys(entry[(colon + 1)..]);
            if (keys.TryGetValue("path", out var path))
            {
                endpoints.Add(new UnixDomainSocketEndPoint(path));
            }
            else if (keys.TryGetValue("abstract", out var name))
            {
                // .NET marks a Linux abstract socket name with a leading NUL.
                endpoints.Add(new UnixDomainSocketEndPoint("\0" + name));
            }
            else
            {
                problems.Add($"'{entry}' has neither path= nor abstract=");
            }
        }

        if (endpoints.Count == 0)
        {
            throw new FormatException($"No usable D-Bus address in '{address}': {string.Join("; ", problems)}.");
        }

        return endpoints;
    }

    private static Dictionary<string, string> ParseKeys(string text)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"D-Bus address key '{pair}' has no value.");
            }

            keys[pair[..equals]] = Unescape(pair[(equals + 1)..]);
        }

        return keys;
    }

    /// <summary>Values may percent-escape any byte; the result is UTF-8.</summary>
    private static string Unescape(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%')
            {
                if (i + 2 >= value.Length)
                {
                    throw new FormatException($"Truncated escape in D-Bus address value '{value}'.");
                }

                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
