using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Enrollment;
using RollbackMesh.Transport;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>
/// Opens AgentHub.Connect over the project's gRPC transport: TLS with the configured CA pinned and the node's client
/// certificate (https://), or h2c (http://, only allowed with insecure: true); HTTP/2 keepalive PINGs so a dead
/// coordinator or a silently dropped NAT mapping ends the stream instead of hanging it. The TLS files are read on every
/// connect (a renewed certificate takes effect at the next connection), after enrolling if the node has no certificate
/// yet and a join token is configured.
/// </summary>
internal sealed class GrpcHubConnector : IHubConnector
{
    private readonly CoordinatorOptions _options;
    private readonly AgentCredentials _credentials;

    /// <summary>Creates the connector from the validated options.</summary>
    public GrpcHubConnector(IOptions<AgentOptions> options, AgentCredentials credentials)
    {
        _options = options.Value.Coordinator;
        _credentials = credentials;
    }

    /// <inheritdoc />
    public string Address => _credentials.Address.ToString().TrimEnd('/');

    /// <inheritdoc />
    public async Task<IHubStream> ConnectAsync(CancellationToken cancellationToken)
    {
        var channelOptions = new GrpcChannelOptions
        {
            KeepAlivePingDelay = DurationParser.TryParse(_options.KeepAliveInterval, out var ping) ? ping : TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = DurationParser.TryParse(_options.KeepAliveTimeout, out var timeout) ? timeout : TimeSpan.FromSeconds(20),
        };
        var owned = new List<IDisposable>();
        GrpcChannel? channel = null;
        try
        {
            if (_credentials.Paths is not null)
            {
                await _credentials.EnsureEnrolledAsync(cancellationToken).ConfigureAwait(false);
                var (ca, client) = await _credentials.LoadAsync(cancellationToken).ConfigureAwait(false);
                owned.Add(ca);
                owned.Add(client);
                channelOptions.ClientCertificates = [client];
                channelOptions.ServerCertificateValidation = (_, certificate, chain, errors) => ValidateServer(ca, certificate, chain, errors);
            }

            channel = GrpcChannel.ForAddress(_credentials.Address, channelOptions);
            var call = channel.DuplexStreaming(AgentHubMethods.Connect, new CallOptions(CancellationToken: cancellationToken));
            return new GrpcHubStream(channel, call, [.. owned]);
        }
        catch
        {
            channel?.Dispose();
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }

    // The coordinator's certificate must chain to the configured CA (not the system store) and match the host name.
    private static bool ValidateServer(X509Certificate2 ca, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var pinned = new X509Chain();
        pinned.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        pinned.ChainPolicy.CustomTrustStore.Add(ca);
        pinned.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            pinned.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return pinned.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
