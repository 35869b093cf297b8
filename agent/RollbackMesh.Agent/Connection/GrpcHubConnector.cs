using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Transport;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>
/// Opens AgentHub.Connect over the project's gRPC transport: TLS with the configured CA pinned and the node's client
/// certificate (https://), or h2c (http://, only allowed with insecure: true); HTTP/2 keepalive PINGs so a dead
/// coordinator or a silently dropped NAT mapping ends the stream instead of hanging it.
/// </summary>
internal sealed class GrpcHubConnector : IHubConnector
{
    private readonly Uri _address;
    private readonly CoordinatorOptions _options;
    private readonly Lazy<X509Certificate2Collection?> _clientCertificates;
    private readonly Lazy<X509Certificate2?> _ca;

    /// <summary>Creates the connector from the validated options.</summary>
    public GrpcHubConnector(IOptions<AgentOptions> options)
    {
        _options = options.Value.Coordinator;
        _address = new Uri(_options.Address);
        _ca = new Lazy<X509Certificate2?>(() => _options.Tls.Ca is { } ca ? X509CertificateLoader.LoadCertificateFromFile(ca) : null);
        _clientCertificates = new Lazy<X509Certificate2Collection?>(() =>
            _options.Tls.Cert is { } cert && _options.Tls.Key is { } key
                ? [X509Certificate2.CreateFromPemFile(cert, key)]
                : null);
    }

    /// <inheritdoc />
    public string Address => _address.ToString().TrimEnd('/');

    /// <inheritdoc />
    public Task<IHubStream> ConnectAsync(CancellationToken cancellationToken)
    {
        var channelOptions = new GrpcChannelOptions
        {
            KeepAlivePingDelay = DurationParser.TryParse(_options.KeepAliveInterval, out var ping) ? ping : TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = DurationParser.TryParse(_options.KeepAliveTimeout, out var timeout) ? timeout : TimeSpan.FromSeconds(20),
        };
        if (_address.Scheme == Uri.UriSchemeHttps)
        {
            channelOptions.ClientCertificates = _clientCertificates.Value;
            channelOptions.ServerCertificateValidation = ValidateServer;
        }

        var channel = GrpcChannel.ForAddress(_address, channelOptions);
        try
        {
            var call = channel.DuplexStreaming(AgentHubMethods.Connect, new CallOptions(CancellationToken: cancellationToken));
            return Task.FromResult<IHubStream>(new GrpcHubStream(channel, call));
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    // The coordinator's certificate must chain to the configured CA (not the system store) and match the host name.
    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || _ca.Value is not { } ca || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
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
