using RollbackMesh.Transport.Tests.Protos;

namespace RollbackMesh.Transport.Tests.Infrastructure;

/// <summary>Descriptors of rollbackmesh.transporttest.TestService.</summary>
internal static class TestServiceMethods
{
    public const string ServiceName = "rollbackmesh.transporttest.TestService";

    public static readonly Method<TestRequest, TestReply> Echo = new(MethodType.Unary, ServiceName, "Echo");

    public static readonly Method<TestRequest, TestReply> Countdown = new(MethodType.ServerStreaming, ServiceName, "Countdown");

    public static readonly Method<TestRequest, TestReply> Collect = new(MethodType.ClientStreaming, ServiceName, "Collect");

    public static readonly Method<TestRequest, TestReply> Chat = new(MethodType.DuplexStreaming, ServiceName, "Chat");

    /// <summary>A method no server implements.</summary>
    public static readonly Method<TestRequest, TestReply> Missing = new(MethodType.Unary, ServiceName, "Missing");
}
