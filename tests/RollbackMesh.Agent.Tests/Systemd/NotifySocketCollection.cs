namespace RollbackMesh.Agent.Tests.Systemd;

/// <summary>
/// Tests that set $NOTIFY_SOCKET, even for a moment, run alone: any agent host another test builds at that moment
/// would aim its notifier at their socket.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotifySocketCollection
{
    public const string Name = "notify socket";
}
