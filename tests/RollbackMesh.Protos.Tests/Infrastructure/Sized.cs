using Google.Protobuf;

namespace RollbackMesh.Protos.Tests.Infrastructure;

/// <summary>Builds messages of an exact serialized size, for tests at the message size limit.</summary>
internal static class Sized
{
    public const int Mib = 1024 * 1024;

    /// <summary>Sets a bytes field of <paramref name="message"/> so the whole message is exactly <paramref name="totalSize"/> bytes.</summary>
    public static T Pad<T>(T message, int totalSize, Action<T, ByteString> setPayload)
        where T : IMessage<T>
    {
        var payloadSize = totalSize;
        while (true)
        {
            setPayload(message, ByteString.CopyFrom(new byte[Math.Max(0, payloadSize)]));
            var size = message.CalculateSize();
            if (size == totalSize)
            {
                return message;
            }

            payloadSize -= size - totalSize;
        }
    }
}
