using System.Net.Sockets;
using Grpc.Core;
using RollbackMesh.Agent.Enrollment;
using Xunit;

namespace RollbackMesh.Agent.Tests.Enrollment;

/// <summary>Which enrollment failures the connection loop retries (transient) and which stop the agent.</summary>
public sealed class EnrollmentExceptionTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.ResourceExhausted, true)]
    [InlineData(StatusCode.Unauthenticated, false)]
    [InlineData(StatusCode.PermissionDenied, false)]
    [InlineData(StatusCode.AlreadyExists, false)]
    public void IsTransient_CoordinatorStatus_OnlyWhenARetryCanSucceed(StatusCode code, bool transient) =>
        Assert.Equal(transient, new EnrollmentException("x", new RpcException(new Status(code, "d"))).IsTransient);

    [Fact]
    public void IsTransient_Unreachable_True() =>
        Assert.True(new EnrollmentException("x", new HttpRequestException("refused", new SocketException(111))).IsTransient);

    [Fact]
    public void IsTransient_ConnectionBrokeMidCall_True()
    {
        var broken = new RpcException(new Status(StatusCode.Internal, "Error reading next message.", new IOException("reset")));

        Assert.True(new EnrollmentException("x", broken).IsTransient);
    }

    [Fact]
    public void IsTransient_InternalFromTheCoordinator_False() =>
        Assert.False(new EnrollmentException("x", new RpcException(new Status(StatusCode.Internal, "bug"))).IsTransient);

    [Fact]
    public void IsTransient_CaMismatch_False() => Assert.False(new EnrollmentException("CA does not match").IsTransient);
}
