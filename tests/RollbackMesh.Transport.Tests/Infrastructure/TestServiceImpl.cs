using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Routing;
using RollbackMesh.Transport.Tests.Protos;

namespace RollbackMesh.Transport.Tests.Infrastructure;

/// <summary>The C# TestService, behaving like Interop/python/test_server.py; records calls that saw cancellation.</summary>
internal sealed class TestServiceImpl
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();

    public ServerCallContext? LastContext { get; private set; }

    public Exception? LastChatException { get; private set; }

    public Metadata? LastRequestHeaders { get; private set; }

    public bool ChatEndedNormally { get; private set; }

    /// <summary>Captured during the last Echo: the context's HttpContext is gone once the call ends.</summary>
    public (string? Thumbprint, string? Subject, string Protocol)? LastConnection { get; private set; }

    /// <summary>Completes when a call with request text <paramref name="text"/> saw its cancellation token fire.</summary>
    public Task WhenCancelled(string text) => Signal(text).Task;

    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService()
            .Unary(TestServiceMethods.Echo, EchoAsync)
            .ServerStreaming(TestServiceMethods.Countdown, CountdownAsync)
            .ClientStreaming(TestServiceMethods.Collect, CollectAsync)
            .Duplex(TestServiceMethods.Chat, ChatAsync);

    private async Task<TestReply> EchoAsync(TestRequest request, ServerCallContext context)
    {
        LastContext = context;
        LastRequestHeaders = context.RequestHeaders;
        LastConnection = (context.ClientCertificate?.Thumbprint, context.ClientCertificate?.Subject, context.HttpContext.Request.Protocol);
        var echo = EchoMetadata(context);
        if (request.FailCode == 0 && echo.Count > 0)
        {
            await context.WriteResponseHeadersAsync(echo);
        }

        foreach (var entry in echo)
        {
            context.ResponseTrailers.AddEntry(entry);
        }

        await DelayAsync(request, context);
        if (request.FailCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
        }

        return Reply(request, context, 0);
    }

    private static async Task CountdownAsync(TestRequest request, IServerStreamWriter<TestReply> stream, ServerCallContext context)
    {
        var echo = EchoMetadata(context);
        await context.WriteResponseHeadersAsync(echo);
        foreach (var entry in echo)
        {
            context.ResponseTrailers.AddEntry(entry);
        }

        for (var i = 0; i < request.Count; i++)
        {
            await stream.WriteAsync(Reply(request, context, i));
        }

        if (request.FailCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
        }
    }

    private static async Task<TestReply> CollectAsync(IAsyncStreamReader<TestRequest> requests, ServerCallContext context)
    {
        var texts = new List<string>();
        await foreach (var request in requests.ReadAllAsync())
        {
            texts.Add(request.Text);
        }

        return new TestReply { Text = string.Join(',', texts), Index = texts.Count };
    }

    private async Task ChatAsync(IAsyncStreamReader<TestRequest> requests, IServerStreamWriter<TestReply> responses, ServerCallContext context)
    {
        var index = 0;
        var lastText = "chat";
        try
        {
            await foreach (var request in requests.ReadAllAsync())
            {
                lastText = request.Text;
                if (request.FailCode != 0)
                {
                    throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
                }

                await DelayAsync(request, context);
                await responses.WriteAsync(Reply(request, context, index++));
            }

            ChatEndedNormally = true;
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            // Whatever the read or write threw, the call's token must fire for a cancelled call; the read can fail a
            // moment before it does (the connection abort and the request-aborted token are raised one after the other).
            LastChatException = ex;
            if (await FiresWithinAsync(context.CancellationToken, TimeSpan.FromSeconds(10)))
            {
                Signal(lastText).TrySetResult();
            }

            throw;
        }
    }

    private static async Task<bool> FiresWithinAsync(CancellationToken token, TimeSpan patience)
    {
        try
        {
            await Task.Delay(patience, token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private async Task DelayAsync(TestRequest request, ServerCallContext context)
    {
        if (request.DelayMs <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            Signal(request.Text).TrySetResult();
            throw;
        }
    }

    private TaskCompletionSource Signal(string text) =>
        _cancelled.GetOrAdd(text, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static Metadata EchoMetadata(ServerCallContext context)
    {
        var echo = new Metadata();
        foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-echo", StringComparison.Ordinal)))
        {
            echo.AddEntry(entry);
        }

        return echo;
    }

    private static TestReply Reply(TestRequest request, ServerCallContext context, int index)
    {
        var reply = new TestReply
        {
            Text = request.Text,
            Index = index,
            PayloadSize = request.Payload.Length,
            TimeRemaining = context.Deadline == DateTime.MaxValue ? -1 : (context.Deadline - DateTime.UtcNow).TotalSeconds,
        };
        return request.ReplySize > 0 ? Sized.Pad(reply, request.ReplySize, (r, p) => r.Payload = p) : reply;
    }
}
