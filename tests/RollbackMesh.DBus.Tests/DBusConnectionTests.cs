using RollbackMesh.DBus.Tests.Infrastructure;

namespace RollbackMesh.DBus.Tests;

/// <summary>Against a real dbus-daemon.</summary>
public sealed class DBusConnectionTests(DBusDaemonFixture bus) : IClassFixture<DBusDaemonFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ConnectAsync_RealDaemon_HelloAssignsUniqueName()
    {
        await using var connection = await ConnectAsync();
        Assert.StartsWith(":", connection.UniqueName, StringComparison.Ordinal);
        Assert.Equal(32, connection.ServerGuid.Length);
    }

    [Fact]
    public async Task ConnectAsync_AbstractAddressThatDoesNotExist_ThrowsIOException()
    {
        await Assert.ThrowsAsync<IOException>(() => DBusConnection.ConnectAsync($"unix:abstract=rbm-none-{Guid.NewGuid():N}", CancellationToken.None));
    }

    [Fact]
    public async Task CallMethodAsync_ListNames_ContainsBusAndOwnName()
    {
        await using var connection = await ConnectAsync();
        var reply = await connection.CallMethodAsync(DBusConnection.BusCall("ListNames"), Cancel());
        Assert.Equal("as", reply.Signature);
        var names = ((object[])reply.Body[0]).Cast<string>().ToList();
        Assert.Contains("org.freedesktop.DBus", names);
        Assert.Contains(connection.UniqueName, names);
    }

    [Fact]
    public async Task CallMethodAsync_GetNameOwnerOfUnknownName_ThrowsNameHasNoOwner()
    {
        await using var connection = await ConnectAsync();
        var ex = await Assert.ThrowsAsync<DBusErrorException>(
            () => connection.CallMethodAsync(DBusConnection.BusCall("GetNameOwner", "s", "com.example.Nobody"), Cancel()));
        Assert.Equal("org.freedesktop.DBus.Error.NameHasNoOwner", ex.ErrorName);
    }

    [Fact]
    public async Task CallMethodAsync_GetConnectionCredentials_ReturnsDictOfVariants()
    {
        await using var connection = await ConnectAsync();
        var reply = await connection.CallMethodAsync(DBusConnection.BusCall("GetConnectionCredentials", "s", connection.UniqueName), Cancel());
        Assert.Equal("a{sv}", reply.Signature);
        var credentials = (Dictionary<object, object>)reply.Body[0];
        Assert.Equal(new DBusVariant("u", (uint)Environment.ProcessId), credentials["ProcessID"]);
        Assert.Equal(new DBusVariant("u", SaslExternalAuthenticator.GetEffectiveUid()), credentials["UnixUserID"]);
    }

    [Fact]
    public async Task AddMatchAsync_SignalFromSecondConnection_IsDelivered()
    {
        await using var listener = await ConnectAsync();
        await using var emitter = await ConnectAsync();
        var received = new TaskCompletionSource<DBusMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rule = new MatchRule { Interface = "com.example.Test", Member = "Ping", Sender = emitter.UniqueName };
        await using var subscription = await listener.AddMatchAsync(rule, m => received.TrySetResult(m), Cancel());

        await emitter.EmitSignalAsync("/com/example", "com.example.Test", "Other", "s", ["ignored"], Cancel());
        await emitter.EmitSignalAsync("/com/example", "com.example.Test", "Ping", "sa{sv}",
            ["hello", new Dictionary<string, DBusVariant> { ["n"] = new("t", 42UL) }], Cancel());

        var signal = await received.Task.WaitAsync(Timeout);
        Assert.Equal(emitter.UniqueName, signal.Sender);
        Assert.Equal("hello", signal.Body[0]);
        Assert.Equal(42UL, ((DBusVariant)((Dictionary<object, object>)signal.Body[1])["n"]).Value);
    }

    [Fact]
    public async Task AddMatchAsync_AfterDispose_NoLongerDelivers()
    {
        await using var listener = await ConnectAsync();
        await using var emitter = await ConnectAsync();
        var count = 0;
        var rule = new MatchRule { Interface = "com.example.Test", Member = "Tick" };
        var subscription = await listener.AddMatchAsync(rule, _ => Interlocked.Increment(ref count), Cancel());
        await subscription.DisposeAsync();

        await emitter.EmitSignalAsync("/com/example", "com.example.Test", "Tick", "", [], Cancel());
        // A round trip through the bus after the emit: the listener would have read the signal before this reply.
        await emitter.CallMethodAsync(DBusConnection.BusCall("GetId"), Cancel());
        await listener.CallMethodAsync(DBusConnection.BusCall("GetId"), Cancel());
        Assert.Equal(0, Volatile.Read(ref count));
    }

    [Fact]
    public async Task CallMethodAsync_ToOtherClient_AnswersUnknownMethodAndPing()
    {
        await using var callee = await ConnectAsync();
        await using var caller = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<DBusErrorException>(() => caller.CallMethodAsync(
            new MethodCall(callee.UniqueName, "/x", "com.example.Nope", "Do"), Cancel()));
        Assert.Equal("org.freedesktop.DBus.Error.UnknownMethod", ex.ErrorName);
        var pong = await caller.CallMethodAsync(new MethodCall(callee.UniqueName, "/", "org.freedesktop.DBus.Peer", "Ping"), Cancel());
        Assert.Equal(MessageType.MethodReturn, pong.Type);
    }

    [Fact]
    public async Task CallMethodAsync_ManyConcurrentCalls_RepliesMatchSerials()
    {
        await using var connection = await ConnectAsync();
        var names = Enumerable.Range(0, 200).Select(i => $"com.example.N{i}").ToArray();
        var calls = names.Select(async name =>
        {
            var ex = await Assert.ThrowsAsync<DBusErrorException>(
                () => connection.CallMethodAsync(DBusConnection.BusCall("GetNameOwner", "s", name), Cancel()));
            return ex.ErrorMessage;
        });

        var messages = await Task.WhenAll(calls);

        for (var i = 0; i < names.Length; i++)
        {
            Assert.Contains($"'{names[i]}'", messages[i], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CallMethodAsync_LargeByteArrayArgument_RoundTripsThroughBus()
    {
        await using var connection = await ConnectAsync();
        // Sent to ourselves: the bus forwards it back, and our refusal reply proves the whole message was framed.
        var payload = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(payload);
        var received = new TaskCompletionSource<DBusMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await connection.AddMatchAsync(
            new MatchRule { Interface = "com.example.Big", Member = "Blob" }, m => received.TrySetResult(m), Cancel());

        await connection.EmitSignalAsync("/big", "com.example.Big", "Blob", "ay", [payload], Cancel());

        var signal = await received.Task.WaitAsync(Timeout);
        Assert.Equal(payload, signal.Body[0]);
    }

    [Fact]
    public async Task DisposeAsync_PendingCallThenDispose_CompletesAndRejectsNewCalls()
    {
        var connection = await ConnectAsync();
        await connection.DisposeAsync();
        await connection.Completion.WaitAsync(Timeout);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => connection.CallMethodAsync(DBusConnection.BusCall("GetId"), Cancel()));
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(Timeout).Token;

    private Task<DBusConnection> ConnectAsync() => DBusConnection.ConnectAsync(bus.Address, Cancel());
}
