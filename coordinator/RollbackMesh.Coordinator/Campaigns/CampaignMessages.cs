using System.Threading.Channels;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Campaigns;

/// <summary>What a campaign's inbox carries; only its loop reads them (<see cref="CampaignDriver"/>).</summary>
internal abstract record CampaignMessage;

/// <summary>After a restart: adopt runs recorded before the crash, follow the running ones.</summary>
internal sealed record RecoverCampaign : CampaignMessage;

/// <summary>Look again at what to do next (<see cref="CampaignSchedule"/>).</summary>
internal sealed record AdvanceCampaign : CampaignMessage;

/// <summary>A cluster's start (review and run start, done off the loop) finished: its record now.</summary>
internal sealed record ClusterStarted(CampaignClusterRecord Cluster) : CampaignMessage;

/// <summary>A cluster's run ended (as stored).</summary>
internal sealed record ClusterRunEnded(string Cluster, RunRecord Run) : CampaignMessage;

internal enum CampaignCommand
{
    Pause,
    Resume,
    Abort,
    Approve,
}

/// <summary>An operator's command; the reply is the campaign once the command is recorded.</summary>
internal sealed record ControlCampaign(CampaignCommand Command, string Who, string Reason, TaskCompletionSource<CampaignSnapshot> Reply) : CampaignMessage;

internal sealed record AddCampaignWatcher(Channel<CampaignEventRecord> Channel) : CampaignMessage;
