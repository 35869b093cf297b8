using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace RollbackMesh.Transport.Internal;

/// <summary>
/// The gRPC length-prefixed message: a compressed flag byte, a 4-byte big-endian length, then the protobuf bytes.
/// </summary>
internal static class MessageFraming
{
    public const int HeaderSize = 5;

    /// <summary>Messages up to this size are serialised straight into the writer's buffer.</summary>
    private const int DirectWriteLimit = 64 * 1024;

    /// <summary>Reads one message; null at a clean end of stream (between messages).</summary>
    /// <exception cref="RpcException">A malformed frame, an oversized or truncated message, or invalid protobuf.</exception>
    public static async ValueTask<T?> ReadMessageAsync<T>(
        PipeReader reader, MessageParser<T> parser, int maxSize, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        // Kestrel's HTTP/2 request body does not always end a pending read when the token fires (seen with the
        // server-side deadline); CancelPendingRead always does, and the read then reports IsCanceled.
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => CancelPendingRead((PipeReader)s!), reader)
            : default;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= HeaderSize)
            {
                var length = ReadHeader(buffer, maxSize);
                if (buffer.Length >= HeaderSize + length)
                {
                    var payload = buffer.Slice(HeaderSize, length);
                    try
                    {
                        return parser.ParseFrom(payload);
                    }
                    catch (InvalidProtocolBufferException ex)
                    {
                        throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize message: " + ex.Message));
                    }
                    finally
                    {
                        reader.AdvanceTo(payload.End);
                    }
                }
            }

            if (result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new OperationCanceledException("The read was cancelled.", cancellationToken);
            }

            if (result.IsCompleted)
            {
                var remaining = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (remaining == 0)
                {
                    return null;
                }

                throw new RpcException(new Status(
                    StatusCode.Internal, $"Incomplete message: the stream ended inside a message ({remaining} bytes of a frame received)."));
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Frames and writes one message into <paramref name="writer"/> (not flushed).</summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED when the message exceeds <paramref name="maxSize"/>.</exception>
    public static void WriteMessage(IBufferWriter<byte> writer, IMessage message, int maxSize)
    {
        var size = CheckSize(message, maxSize);
        if (size <= DirectWriteLimit)
        {
            var span = writer.GetSpan(HeaderSize + size);
            if (span.Length >= HeaderSize + size)
            {
                WriteFrame(span, message, size);
                writer.Advance(HeaderSize + size);
                return;
            }
        }

        var rented = ArrayPool<byte>.Shared.Rent(HeaderSize + size);
        try
        {
            WriteFrame(rented, message, size);
            writer.Write(rented.AsSpan(0, HeaderSize + size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Frames one message into a new array.</summary>
    public static byte[] Frame(IMessage message, int maxSize)
    {
        var size = CheckSize(message, maxSize);
        var frame = new byte[HeaderSize + size];
        WriteFrame(frame, message, size);
        return frame;
    }

    private static void CancelPendingRead(PipeReader reader)
    {
        try
        {
            reader.CancelPendingRead();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Kestrel throws here once the client has reset the stream; the read fails on its own then.
        }
    }

    private static int CheckSize(IMessage message, int maxSize)
    {
        var size = message.CalculateSize();
        if (size > maxSize)
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size ({size} vs. {maxSize} bytes)."));
        }

        return size;
    }

    private static void WriteFrame(Span<byte> destination, IMessage message, int size)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)size);
        message.WriteTo(destination.Slice(HeaderSize, size));
    }

    private static int ReadHeader(ReadOnlySequence<byte> buffer, int maxSize)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        switch (header[0])
        {
            case 0:
                break;
            case 1:
                throw new RpcException(new Status(
                    StatusCode.Internal, "Received a compressed message but no grpc-encoding was negotiated."));
            default:
                throw new RpcException(new Status(
                    StatusCode.Internal, $"Invalid compressed flag {header[0]} in message frame; expected 0 or 1."));
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxSize)
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({length} vs. {maxSize} bytes)."));
        }

        return (int)length;
    }
}
