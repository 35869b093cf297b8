using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace RollbackMesh.Transport.Internal;

/// <summary>Checks a request is a gRPC call this transport can serve, answering the spec's way when not.</summary>
internal static class GrpcRequestValidator
{
    /// <summary>True when the request was rejected and a response was already set up.</summary>
    public static bool TryReject(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            Reject(httpContext, StatusCodes.Status426UpgradeRequired, StatusCode.Internal,
                $"Request protocol '{request.Protocol}' is not supported; gRPC needs HTTP/2.");
            return true;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            // The spec: a Content-Type not starting with application/grpc gets HTTP 415.
            Reject(httpContext, StatusCodes.Status415UnsupportedMediaType, StatusCode.Internal,
                $"Content-Type '{request.ContentType}' is not supported; expected 'application/grpc'.");
            return true;
        }

        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length > 0 && !string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            httpContext.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;
            Reject(httpContext, StatusCodes.Status200OK, StatusCode.Unimplemented,
                $"Message encoding '{encoding}' is not supported; supported: identity.");
            return true;
        }

        return false;
    }

    /// <summary>Answers with a trailers-only response carrying <paramref name="status"/>.</summary>
    public static void Reject(HttpContext httpContext, int httpStatus, StatusCode status, string message)
    {
        var response = httpContext.Response;
        response.StatusCode = httpStatus;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)status).ToString(CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.PercentEncode(message);
    }

    /// <summary>
    /// Streams may idle for hours and carry many messages: Kestrel's body-rate and body-size defaults would cut them.
    /// </summary>
    public static void DisableBodyLimits(HttpContext httpContext)
    {
        if (httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRequestRate)
        {
            minRequestRate.MinDataRate = null;
        }

        if (httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxBodySize)
        {
            maxBodySize.MaxRequestBodySize = null;
        }

        if (httpContext.Features.Get<IHttpMinResponseDataRateFeature>() is { } minResponseRate)
        {
            minResponseRate.MinDataRate = null;
        }
    }
}
