using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using RollbackMesh.Cli.Commands;

namespace RollbackMesh.Cli.Ui;

/// <summary>
/// A server-streaming watch (WatchRun, WatchCampaign) as server-sent events: one event named <c>name</c> per message
/// (protobuf JSON), then "end" when the stream finishes, or "failed" with the reason if the call is refused. The
/// browser's EventSource reconnects by itself after a dropped connection, and each reconnect opens a fresh watch, whose
/// first message is the whole status.
/// </summary>
internal static class EventStream
{
    public static async Task WriteAsync<T>(HttpContext http, string name, Func<CancellationToken, AsyncServerStreamingCall<T>> watch, JsonFormatter formatter)
        where T : IMessage
    {
        var ct = http.RequestAborted;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.Body.FlushAsync(ct);
        try
        {
            using var call = watch(ct);
            while (await call.ResponseStream.MoveNext(ct))
            {
                await SendAsync(http, name, formatter.Format(call.ResponseStream.Current), ct);
            }

            await SendAsync(http, "end", "{}", ct);
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            var reason = ex.Status.Detail.Length > 0 ? ex.Status.Detail : CommandRunner.CodeOf(ex).ToString();
            await SendAsync(http, "failed", System.Text.Json.JsonSerializer.Serialize(new { error = reason }), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task SendAsync(HttpContext http, string name, string json, CancellationToken ct)
    {
        // protobuf's JSON has no raw newlines inside strings, but it is multi-line; SSE data lines must not be.
        var data = json.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        await http.Response.WriteAsync($"event: {name}\ndata: {data}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
