using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace RollbackMesh.Transport.Tests.Infrastructure;

/// <summary>Sends hand-made HTTP/2 requests, to feed the server what a well-behaved client never would.</summary>
internal sealed class RawGrpcClient : IDisposable
{
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler { UseProxy = false });
    private readonly Uri _address;

    public RawGrpcClient(Uri address) => _address = address;

    /// <summary>The gRPC framing of <paramref name="payload"/> with the given compressed flag.</summary>
    public static byte[] Frame(byte[] payload, byte compressedFlag = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public async Task<RawResponse> SendAsync(
        string path, byte[] body, string contentType = "application/grpc", IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TE.ParseAdd("trailers");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await _invoker.SendAsync(request, cts.Token);
        var content = await response.Content.ReadAsByteArrayAsync(cts.Token);
        var status = Header(response, "grpc-status");
        var message = Header(response, "grpc-message");
        return new RawResponse(response.StatusCode, status is null ? null : int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
            message is null ? null : Uri.UnescapeDataString(message), content.Length);
    }

    public void Dispose() => _invoker.Dispose();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.TrailingHeaders.TryGetValues(name, out values)
            ? values.First()
            : null;
}

/// <summary>What came back: HTTP status, grpc-status (headers or trailers), decoded grpc-message, body length.</summary>
internal sealed record RawResponse(HttpStatusCode HttpStatus, int? GrpcStatus, string? GrpcMessage, int BodyLength);
