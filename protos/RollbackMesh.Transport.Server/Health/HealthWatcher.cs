using System.Threading.Channels;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace RollbackMesh.Transport.Health;

/// <summary>
/// One Watch subscription. Its channel holds only the latest status: a slow watcher skips intermediate states
/// rather than making <see cref="HealthStatusRegistry.SetStatus"/> wait.
/// </summary>
internal sealed class HealthWatcher(HealthStatusRegistry registry, string service) : IDisposable
{
    private readonly Channel<ServingStatus> _channel = Channel.CreateBounded<ServingStatus>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public string Service { get; } = service;

    public ChannelReader<ServingStatus> Reader => _channel.Reader;

    public void Publish(ServingStatus status) => _channel.Writer.TryWrite(status);

    public void Dispose() => registry.Remove(this);
}
