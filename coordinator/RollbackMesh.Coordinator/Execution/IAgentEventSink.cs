using System.Collections.Immutable;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>Receives what agents report about steps (<see cref="RunInboxes"/> implements it and routes each to its run's inbox).</summary>
internal interface IAgentEventSink
{
    /// <summary>A step update from <paramref name="node"/>; the sink checks the step belongs to that node.</summary>
    void OnStepUpdate(string node, AgentStepUpdate update);

    /// <summary>A node's stream opened (its Hello was recorded and acknowledged); it may have reconnected mid-step.</summary>
    void OnConnected(string node);

    /// <summary>A node's answer to a JournalQuery.</summary>
    void OnJournal(string node, ImmutableArray<JournalRecord> entries);
}
