using System.Globalization;
using System.Text;

namespace RollbackMesh.DBus;

/// <summary>
/// The client side of the D-Bus SASL handshake with the EXTERNAL mechanism: the server checks our uid through
/// the socket's peer credentials, we only state it (ASCII decimal uid, hex-encoded).
/// </summary>
internal static class SaslExternalAuthenticator
{
    private const int MaxLineLength = 16 * 1024;

    /// <summary>Authenticates and sends BEGIN; returns the server GUID from the OK line.</summary>
    public static async Task<string> AuthenticateAsync(Stream stream, uint uid, CancellationToken ct)
    {
        var uidHex = Convert.ToHexStringLower(Encoding.ASCII.GetBytes(uid.ToString(CultureInfo.InvariantCulture)));
        // The protocol starts with one NUL byte (it carries credentials on some systems) before the first command.
        await WriteAsync(stream, "\0AUTH EXTERNAL " + uidHex + "\r\n", ct);
        var reply = await ReadLineAsync(stream, ct);
        if (!reply.StartsWith("OK ", StringComparison.Ordinal))
        {
            await WriteAsync(stream, "CANCEL\r\n", ct);
            throw new UnauthorizedAccessException($"D-Bus server rejected AUTH EXTERNAL for uid {uid}: '{reply}'.");
        }

        await WriteAsync(stream, "BEGIN\r\n", ct);
        return reply[3..].Trim();
    }

    /// <summary>The effective uid, which is what the server sees through SO_PEERCRED.</summary>
    public static uint GetEffectiveUid()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                // Uid: real effective saved filesystem
                var parts = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                return uint.Parse(parts[2], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("No Uid line in /proc/self/status.");
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>Reads byte by byte so nothing after the line is consumed before the binary protocol starts.</summary>
    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < MaxLineLength)
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                throw new IOException("D-Bus server closed the connection during authentication.");
            }

            if (one[0] == '\n' && line.Length > 0 && line[^1] == '\r')
            {
                return line.ToString(0, line.Length - 1);
            }

            line.Append((char)one[0]);
        }

        throw new IOException("D-Bus authentication line is too long.");
    }
}
