using Google.Protobuf;

namespace RollbackMesh.Transport.Internal;

/// <summary>Adapts each handler shape to one signature the request pipeline runs.</summary>
internal static class ServerCallInvokers
{
    public static Func<HttpServerCallContext, Task> Unary<TReq, TResp>(Method<TReq, TResp> method, UnaryServerMethod<TReq, TResp> handler)
        where TReq : class, IMessage<TReq>, new()
        where TResp : class, IMessage<TResp>, new() =>
        async call =>
        {
            var request = await ReadSingleAsync(call, method.RequestParser).ConfigureAwait(false);
            var response = await handler(request, call).ConfigureAwait(false);
            await WriteResponseAsync(call, response).ConfigureAwait(false);
        };

    public static Func<HttpServerCallContext, Task> ServerStreaming<TReq, TResp>(
        Method<TReq, TResp> method, ServerStreamingServerMethod<TReq, TResp> handler)
        where TReq : class, IMessage<TReq>, new()
        where TResp : class, IMessage<TResp>, new() =>
        async call =>
        {
            var request = await ReadSingleAsync(call, method.RequestParser).ConfigureAwait(false);
            await handler(request, new HttpResponseStreamWriter<TResp>(call), call).ConfigureAwait(false);
        };

    public static Func<HttpServerCallContext, Task> ClientStreaming<TReq, TResp>(
        Method<TReq, TResp> method, ClientStreamingServerMethod<TReq, TResp> handler)
        where TReq : class, IMessage<TReq>, new()
        where TResp : class, IMessage<TResp>, new() =>
        async call =>
        {
            var reader = new HttpRequestStreamReader<TReq>(call, method.RequestParser);
            var response = await handler(reader, call).ConfigureAwait(false);
            await WriteResponseAsync(call, response).ConfigureAwait(false);
        };

    public static Func<HttpServerCallContext, Task> Duplex<TReq, TResp>(
        Method<TReq, TResp> method, DuplexStreamingServerMethod<TReq, TResp> handler)
        where TReq : class, IMessage<TReq>, new()
        where TResp : class, IMessage<TResp>, new() =>
        call => handler(
            new HttpRequestStreamReader<TReq>(call, method.RequestParser), new HttpResponseStreamWriter<TResp>(call), call);

    private static async Task WriteResponseAsync<TResp>(HttpServerCallContext call, TResp? response)
        where TResp : class, IMessage<TResp>
    {
        // A handler that set a non-OK status has nothing to send but the status.
        if (call.Status.StatusCode != StatusCode.OK)
        {
            return;
        }

        if (response is null)
        {
            throw new InvalidOperationException($"The handler for {call.Method} returned a null response.");
        }

        await call.WriteMessageAsync(response, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<T> ReadSingleAsync<T>(HttpServerCallContext call, MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var reader = call.HttpContext.Request.BodyReader;
        var maxSize = call.Options.MaxReceiveMessageSize;
        var message = await MessageFraming.ReadMessageAsync(reader, parser, maxSize, call.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The request ended without a message."));
        if (await MessageFraming.ReadMessageAsync(reader, parser, maxSize, call.CancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "The request carried more than one message for a single-request method."));
        }

        return message;
    }
}
