using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RollbackMesh.Transport.Internal;

namespace RollbackMesh.Transport;

/// <summary>Maps gRPC methods onto endpoints; returned by <see cref="GrpcEndpointRouteBuilderExtensions.MapGrpcService"/>.</summary>
public sealed class GrpcServiceEndpoints
{
    private readonly IEndpointRouteBuilder _endpoints;
    private readonly GrpcServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    internal GrpcServiceEndpoints(IEndpointRouteBuilder endpoints, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _endpoints = endpoints;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Maps a unary method.</summary>
    public GrpcServiceEndpoints Unary<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Map(method, MethodType.Unary, ServerCallInvokers.Unary(method, NotNull(handler)));

    /// <summary>Maps a server-streaming method.</summary>
    public GrpcServiceEndpoints ServerStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Map(method, MethodType.ServerStreaming, ServerCallInvokers.ServerStreaming(method, NotNull(handler)));

    /// <summary>Maps a client-streaming method.</summary>
    public GrpcServiceEndpoints ClientStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Map(method, MethodType.ClientStreaming, ServerCallInvokers.ClientStreaming(method, NotNull(handler)));

    /// <summary>Maps a bidirectional-streaming method.</summary>
    public GrpcServiceEndpoints Duplex<TRequest, TResponse>(
        Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Map(method, MethodType.DuplexStreaming, ServerCallInvokers.Duplex(method, NotNull(handler)));

    private GrpcServiceEndpoints Map<TRequest, TResponse>(
        Method<TRequest, TResponse> method, MethodType expected, Func<HttpServerCallContext, Task> invoke)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Type != expected)
        {
            throw new ArgumentException($"{method.FullName} is {method.Type}, not {expected}.", nameof(method));
        }

        var handler = new ServerCallHandler(method.FullName, invoke, _options, _timeProvider, _logger);
        _endpoints.MapPost(method.FullName, handler.HandleAsync).WithDisplayName("gRPC " + method.FullName);
        return this;
    }

    private static T NotNull<T>(T handler)
        where T : Delegate
    {
        ArgumentNullException.ThrowIfNull(handler);
        return handler;
    }
}
