using RollbackMesh.DBus.Protocol;

namespace RollbackMesh.DBus;

public sealed partial class DBusConnection
{
    private const string PeerInterface = "org.freedesktop.DBus.Peer";

    /// <summary>The only reader of the socket: frames messages and dispatches them in arrival order.</summary>
    private async Task ReadLoopAsync()
    {
        try
        {
            // Buffered so a message costs one syscall rather than two; only this loop reads the stream.
            var input = new BufferedStream(_stream, 64 * 1024);
            var start = new byte[MessageSerializer.FixedHeaderLength];
            while (true)
            {
                await input.ReadExactlyAsync(start, _disposeCts.Token);
                var buffer = new byte[MessageSerializer.GetMessageLength(start)];
                start.CopyTo(buffer, 0);
                await input.ReadExactlyAsync(buffer.AsMemory(start.Length), _disposeCts.Token);
                Dispatch(MessageSerializer.Deserialize(buffer));
            }
        }
        catch (Exception ex)
        {
            // End of stream, a protocol violation or a throwing signal handler: the connection is unusable.
            Close(ex);
        }
    }

    private void Dispatch(DBusMessage message)
    {
        switch (message.Type)
        {
            case MessageType.MethodReturn or MessageType.Error:
                if (message.ReplySerial is { } serial && _pendingCalls.TryRemove(serial, out var reply))
                {
                    reply.TrySetResult(message);
                }

                break;
            case MessageType.Signal:
                foreach (var subscription in Volatile.Read(ref _subscriptions))
                {
                    if (subscription.Rule.Matches(message))
                    {
                        subscription.Deliver(message);
                    }
                }

                break;
            case MessageType.MethodCall:
                AnswerIncomingCall(message);
                break;
            default:
                break; // The spec says unknown message types must be ignored.
        }
    }

    /// <summary>We export no objects: answer Peer.Ping, refuse everything else so callers are not left waiting.</summary>
    private void AnswerIncomingCall(DBusMessage call)
    {
        if (call.Flags.HasFlag(MessageFlags.NoReplyExpected))
        {
            return;
        }

        var answer = call.Interface == PeerInterface && call.Member == "Ping"
            ? new DBusMessage { Type = MessageType.MethodReturn, ReplySerial = call.Serial, Destination = call.Sender }
            : new DBusMessage
            {
                Type = MessageType.Error,
                ReplySerial = call.Serial,
                Destination = call.Sender,
                ErrorName = "org.freedesktop.DBus.Error.UnknownMethod",
                Signature = "s",
                Body = [$"No method {call.Interface}.{call.Member} on {call.Path}: this client exports no objects."],
            };
        // Not awaited: the read loop must never wait on a write, or a full socket in both directions deadlocks.
        _ = SendAsync(answer, null, CancellationToken.None).ContinueWith(
            static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void Close(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        foreach (var serial in _pendingCalls.Keys)
        {
            if (_pendingCalls.TryRemove(serial, out var pending))
            {
                pending.TrySetException(reason is ObjectDisposedException ? reason : new IOException("D-Bus connection closed.", reason));
            }
        }

        if (reason is ObjectDisposedException)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(reason);
        }
    }
}
