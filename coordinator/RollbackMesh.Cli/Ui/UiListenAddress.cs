using System.Net;

namespace RollbackMesh.Cli.Ui;

/// <summary>
/// Where `rollbackmesh ui` listens: a loopback address only. The dashboard acts with the operator's own certificate, so
/// anyone who can reach it acts as that operator; like `kubectl proxy`, it is for this machine's browser.
/// </summary>
internal static class UiListenAddress
{
    public const string Default = "127.0.0.1:8080";

    /// <exception cref="CliUsageException">The text is not host:port, or the host is not a loopback address.</exception>
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            throw new CliUsageException($"--listen '{text}' is not host:port (e.g. {Default}, [::1]:8080, localhost:0).");
        }

        var host = text[..colon];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            throw new CliUsageException($"--listen '{text}': '{host}' is not an IP address or localhost.");
        }

        return IPAddress.IsLoopback(address)
            ? new IPEndPoint(address, port)
            : throw new CliUsageException(
                $"--listen '{text}' is not a loopback address: the dashboard acts with your operator certificate, so it listens only on " +
                "127.0.0.0/8, [::1] or localhost. To reach it from elsewhere, forward the port over SSH.");
    }
}
