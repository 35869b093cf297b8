using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Transport;

namespace RollbackMesh.Cli.Connection;

/// <summary>
/// Opens the channel to the coordinator from the global options. http:// needs --insecure; https:// needs --ca, --cert
/// and --key: the coordinator's certificate must chain to --ca, and the operator authenticates with --cert/--key.
/// </summary>
internal static class CoordinatorConnection
{
    /// <exception cref="CliUsageException">The options do not describe a usable connection.</exception>
    public static GrpcChannel Open(ParseResult result)
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
                ? GrpcChannel.ForAddress(address)
                : throw new CliUsageException($"'{url}' is plaintext; pass --insecure to use it (tests and demos only), or use https://.");
        }

        var ca = Require(result, GlobalOptions.Ca);
        var cert = Require(result, GlobalOptions.Cert);
        var key = Require(result, GlobalOptions.Key);
        var caCertificate = X509CertificateLoader.LoadCertificateFromFile(ca);
        var client = X509Certificate2.CreateFromPemFile(cert, key);
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            ClientCertificates = [client],
            ServerCertificateValidation = (_, certificate, _, errors) =>
                certificate is not null
                && ChainsTo(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), caCertificate)
                && (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
        });
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

    private static bool ChainsTo(X509Certificate2 server, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
