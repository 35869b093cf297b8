using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.Cli.Connection;

/// <summary>
/// Opens the channel to the coordinator from the global options. http:// needs --insecure; https:// needs --ca, --cert
/// and --key: the coordinator's certificate must chain to --ca, and the operator authenticates with --cert/--key.
/// </summary>
internal static class CoordinatorConnection
{
    /// <exception cref="CliUsageException">The options do not describe a usable connection.</exception>
    /// <returns>The channel, and for https:// the TLS material that can explain a refused handshake.</returns>
    public static (GrpcChannel Channel, TlsTrust? Tls) Open(ParseResult result)
    {
        var url = result.GetValue(GlobalOptions.Coordinator);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new CliUsageException($"--coordinator URL is required (or set ${GlobalOptions.CoordinatorVariable}).");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--coordinator '{url}' is not an http:// or https:// URL.");
        }

        if (address.Scheme == Uri.UriSchemeHttp)
        {
            return result.GetValue(GlobalOptions.Insecure)
                ? (RollbackMeshChannel.Create(address), null)
                : throw new CliUsageException($"'{url}' is plaintext; pass --insecure to use it (tests and demos only), or use https://.");
        }

        var ca = Require(result, GlobalOptions.Ca);
        var cert = Require(result, GlobalOptions.Cert);
        var key = Require(result, GlobalOptions.Key);
        var tls = new TlsTrust(ca, X509CertificateLoader.LoadCertificateFromFile(ca), cert, X509Certificate2.CreateFromPemFile(cert, key), TimeProvider.System);
        var channel = RollbackMeshChannel.Create(address, new ChannelSettings
        {
            ServerCertificateValidation = tls.ValidateServer,
            ClientCertificate = tls.ClientCertificate,
        });
        return (channel, tls);
    }

    private static string Require(ParseResult result, Option<string?> option)
    {
        var path = result.GetValue(option);
        if (string.IsNullOrEmpty(path))
        {
            throw new CliUsageException($"{option.Name} is required for an https:// coordinator.");
        }

        return File.Exists(path) ? path : throw new CliUsageException($"{option.Name} '{path}' does not exist.");
    }
}
