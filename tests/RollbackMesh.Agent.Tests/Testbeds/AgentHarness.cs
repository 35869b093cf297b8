using Microsoft.Extensions.Logging.Abstractions;
using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Actions.Filesystem;
using RollbackMesh.Agent.Actions.Services;
using RollbackMesh.Agent.Journal;
using RollbackMesh.Agent.Processes;
using RollbackMesh.Agent.Steps;

namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// Options, context and runner confined to one temp root (the "node"): quarantine, backups and scratch live in
/// root/var/lib/rollbackmesh; only root/allowed is an allowed root unless a test widens it.
/// </summary>
internal sealed class AgentHarness : IDisposable
{
    private readonly List<string> _output = [];

    public AgentHarness(Func<AgentActionOptions, AgentActionOptions>? configure = null, IServiceController? services = null)
    {
        Root = new TempRoot();
        Allowed = Root.Dir("allowed");
        var state = Root.Dir("allowed/var/lib/rollbackmesh");
        var options = new AgentActionOptions
        {
            AllowedRoots = [Allowed],
            QuarantineDirectory = Path.Combine(state, "quarantine"),
            BackupDirectory = Path.Combine(state, "backup"),
            ScratchDirectory = Path.Combine(state, "tmp"),
            DefaultKubeconfig = Path.Combine(Allowed, "k3s.yaml"),
        };
        Options = configure is null ? options : configure(options);
        Services = services;
        JournalPath = Path.Combine(Root.Path, "journal", "journal.db");
    }

    public TempRoot Root { get; }

    public string Allowed { get; }

    public AgentActionOptions Options { get; }

    public IServiceController? Services { get; }

    public string JournalPath { get; }

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public ActionContext Context() => new()
    {
        Options = Options,
        Tools = new ToolRunner(),
        Quarantine = new Quarantine(Options.QuarantineDirectory, Options.BackupDirectory, TimeProvider.System),
        Services = Services,
        Output = line =>
        {
            lock (_output)
            {
                _output.Add(line);
            }
        },
    };

    public IAgentAction Build(V1.Action action) => new ActionFactory(Options).Create(action);

    public (StepRunner Runner, StepJournal Journal) Runner(TimeProvider? time = null)
    {
        var journal = new StepJournal(JournalPath);
        return (new StepRunner(Options, journal, Services, time ?? TimeProvider.System, NullLogger<StepRunner>.Instance), journal);
    }

    /// <summary>Runs one step through a fresh runner on the harness journal (closed afterwards, as a restart would).</summary>
    public async Task<V1.StepResult> RunStepAsync(V1.Action action, string runId, string stepId, Action<V1.StepUpdate>? onUpdate = null)
    {
        var (runner, journal) = Runner();
        using (journal)
        {
            var command = new V1.StepCommand { RunId = runId, StepId = stepId, Action = action };
            return await runner.RunAsync(command, onUpdate ?? (_ => { }), CancellationToken.None);
        }
    }

    public void Dispose() => Root.Dispose();
}
