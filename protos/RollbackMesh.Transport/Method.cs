using Google.Protobuf;

namespace RollbackMesh.Transport;

/// <summary>Describes one RPC: its shape, service and name, and how its protobuf messages are parsed.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    /// <summary>Creates a method descriptor.</summary>
    /// <param name="type">The call shape.</param>
    /// <param name="serviceName">The fully qualified service name, e.g. <c>rollbackmesh.v1.AgentHub</c>.</param>
    /// <param name="name">The method name, e.g. <c>Connect</c>.</param>
    public Method(MethodType type, string serviceName, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = "/" + serviceName + "/" + name;
    }

    /// <summary>The call shape.</summary>
    public MethodType Type { get; }

    /// <summary>The fully qualified service name.</summary>
    public string ServiceName { get; }

    /// <summary>The method name.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 path of the method: <c>/serviceName/name</c>.</summary>
    public string FullName { get; }

    internal MessageParser<TRequest> RequestParser { get; } = new(() => new TRequest());

    internal MessageParser<TResponse> ResponseParser { get; } = new(() => new TResponse());

    /// <inheritdoc />
    public override string ToString() => FullName;
}
