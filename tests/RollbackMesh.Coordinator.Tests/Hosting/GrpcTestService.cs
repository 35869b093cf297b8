using System.Collections.Concurrent;
using Grpc.Core;
using RollbackMesh.Protos.Tests.Infrastructure;
using RollbackMesh.TransportTest;

namespace RollbackMesh.Coordinator.Tests.Hosting;

/// <summary>The C# TestService, behaving like Interop/python/test_server.py; records calls that saw cancellation.</summary>
internal sealed class GrpcTestService : TestService.TestServiceBase
{
    /// <summary>Echo text starting with this makes the handler throw an exception that is not an RpcException.</summary>
    public const string UnexpectedFailure = "throw:";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();

    public ServerCallContext? LastContext { get; private set; }

    public Exception? LastChatException { get; private set; }

    public Metadata? LastRequestHeaders { get; private set; }

    public bool ChatEndedNormally { get; private set; }

    /// <summary>Captured during the last Echo: the context's HttpContext is gone once the call ends.</summary>
    public (string? Thumbprint, string? Subject, string Protocol)? LastConnection { get; private set; }

    /// <summary>Completes when a call with request text <paramref name="text"/> saw its cancellation token fire.</summary>
    public Task WhenCancelled(string text) => Signal(text).Task;

    public override async Task<TestReply> Echo(TestRequest request, ServerCallContext context)
    {
        LastContext = context;
        LastRequestHeaders = context.RequestHeaders;
        var http = context.GetHttpContext();
        var certificate = http.Connection.ClientCertificate;
        LastConnection = (certificate?.Thumbprint, certificate?.Subject, http.Request.Protocol);
        var echo = EchoMetadata(context);
        if (request.FailCode == 0 && echo.Count > 0)
        {
            await context.WriteResponseHeadersAsync(echo);
        }

        foreach (var entry in echo)
        {
            context.ResponseTrailers.Add(entry);
        }

        await DelayAsync(request, context);
        if (request.FailCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
        }

        if (request.Text.StartsWith(UnexpectedFailure, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(request.Text[UnexpectedFailure.Length..]);
        }

        return Reply(request, context, 0);
    }

    public override async Task Countdown(TestRequest request, IServerStreamWriter<TestReply> responseStream, ServerCallContext context)
    {
        var echo = EchoMetadata(context);
        await context.WriteResponseHeadersAsync(echo);
        foreach (var entry in echo)
        {
            context.ResponseTrailers.Add(entry);
        }

        for (var i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(Reply(request, context, i));
        }

        if (request.FailCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
        }
    }

    public override async Task<TestReply> Collect(IAsyncStreamReader<TestRequest> requestStream, ServerCallContext context)
    {
        var texts = new List<string>();
        await foreach (var request in requestStream.ReadAllAsync())
        {
            texts.Add(request.Text);
        }

        return new TestReply { Text = string.Join(',', texts), Index = texts.Count };
    }

    public override async Task Chat(IAsyncStreamReader<TestRequest> requestStream, IServerStreamWriter<TestReply> responseStream, ServerCallContext context)
    {
        var index = 0;
        var lastText = "chat";
        try
        {
            await foreach (var request in requestStream.ReadAllAsync())
            {
                lastText = request.Text;
                if (request.FailCode != 0)
                {
                    throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
                }

                await DelayAsync(request, context);
                await responseStream.WriteAsync(Reply(request, context, index++));
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
            echo.Add(entry);
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
