namespace RollbackMesh.DBus;

/// <summary>A registered match rule and its handler; disposing removes both the handler and the bus rule.</summary>
internal sealed class SignalSubscription(DBusConnection connection, MatchRule rule, Action<DBusMessage> handler) : IAsyncDisposable
{
    private int _disposed;

    public MatchRule Rule => rule;

    public void Deliver(DBusMessage message) => handler(message);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await connection.RemoveSubscriptionAsync(this);
    }
}
