namespace RollbackMesh.DBus;

public sealed partial class DBusConnection
{
    private readonly Lock _subscriptionsLock = new();
    private SignalSubscription[] _subscriptions = [];

    /// <summary>
    /// Adds a match rule on the bus and routes matching messages to <paramref name="handler"/>. Handlers run on the
    /// read loop in arrival order, so they must be quick and must not block on this connection; a handler that
    /// throws closes the connection. Dispose the result to remove the rule.
    /// </summary>
    public async Task<IAsyncDisposable> AddMatchAsync(MatchRule rule, Action<DBusMessage> handler, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new SignalSubscription(this, rule, handler);
        // Registered locally first, so a message arriving right after the daemon applies the rule is not dropped.
        lock (_subscriptionsLock)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        try
        {
            await CallMethodAsync(BusCall("AddMatch", "s", rule.ToString()), ct);
        }
        catch
        {
            RemoveLocal(subscription);
            throw;
        }

        return subscription;
    }

    internal async Task RemoveSubscriptionAsync(SignalSubscription subscription)
    {
        RemoveLocal(subscription);
        if (Volatile.Read(ref _closeReason) is not null)
        {
            return;
        }

        try
        {
            await CallMethodAsync(BusCall("RemoveMatch", "s", subscription.Rule.ToString()), CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The connection closed meanwhile, which drops every rule anyway.
        }
    }

    private void RemoveLocal(SignalSubscription subscription)
    {
        lock (_subscriptionsLock)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }
}
