using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Enrollment;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>
/// Opens AgentHub.Connect over grpc-dotnet (<see cref="RollbackMeshChannel"/>): TLS with the configured CA pinned and the
/// node's client certificate (https://), or h2c (http://, only allowed with insecure: true); HTTP/2 keepalive PINGs so a
/// dead coordinator or a silently dropped NAT mapping ends the stream instead of hanging it. The TLS files are read on
/// every connect (a renewed certificate takes effect at the next connection), after enrolling if the node has no
/// certificate yet and a join token is configured.
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
        var settings = new ChannelSettings
        {
            KeepAlivePingDelay = Durations.TryParse(_options.KeepAliveInterval, out var ping) ? ping : TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = Durations.TryParse(_options.KeepAliveTimeout, out var timeout) ? timeout : TimeSpan.FromSeconds(20),
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
                settings.PinnedCa = ca;
                settings.ClientCertificate = client;
            }

            channel = RollbackMeshChannel.Create(_credentials.Address, settings);
            var call = new AgentHub.AgentHubClient(channel).Connect(cancellationToken: cancellationToken);
            return new GrpcHubStream(channel, call, [.. owned]);
        }
        catch
        {
            channel?.Dispose();
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }
}
