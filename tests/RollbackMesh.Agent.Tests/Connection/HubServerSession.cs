using System.Threading.Channels;
using Grpc.Core;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Connection;

/// <summary>One agent stream as the coordinator sees it.</summary>
internal sealed class HubServerSession(IServerStreamWriter<CoordinatorMessage> responses, CancellationToken cancellationToken)
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Everything the agent sent, in order.</summary>
    public Channel<AgentMessage> Received { get; } = Channel.CreateUnbounded<AgentMessage>();

    public async Task SendAsync(CoordinatorMessage message)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await responses.WriteAsync(message, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The next message the agent sent.</summary>
    public async Task<AgentMessage> ReceiveAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await Received.Reader.ReadAsync(cancellation.Token);
    }

    /// <summary>Skips messages until one matches (health reports arrive in between).</summary>
    public async Task<AgentMessage> ReceiveAsync(Func<AgentMessage, bool> match, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            var message = await Received.Reader.ReadAsync(cancellation.Token);
            if (match(message))
            {
                return message;
            }
        }
    }
}
