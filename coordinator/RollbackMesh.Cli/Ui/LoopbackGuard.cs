using System.Net;
using Microsoft.AspNetCore.Http;

namespace RollbackMesh.Cli.Ui;

/// <summary>
/// Keeps other web pages in the operator's browser from using the dashboard's authority. A page from another site can
/// make the browser send requests here: the Host check stops DNS rebinding (a hostile name resolving to 127.0.0.1), and
/// changes (POST) need a custom header, which a cross-site request cannot carry without a CORS preflight this server
/// never grants.
/// </summary>
internal static class LoopbackGuard
{
    public const string ActionHeader = "X-RollbackMesh-Dashboard";

    public static Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        if (!IsLoopbackHost(http.Request.Host.Host))
        {
            http.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            return http.Response.WriteAsync("This dashboard answers only to a loopback host name (127.0.0.1, [::1], localhost).");
        }

        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !http.Request.Headers.ContainsKey(ActionHeader))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return http.Response.WriteAsync($"A change needs the {ActionHeader} header (the dashboard's own pages send it).");
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
        return next();
    }

    internal static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
