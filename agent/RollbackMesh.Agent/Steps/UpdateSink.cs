using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Steps;

/// <summary>Serialises a step's updates to the caller's callback (output lines arrive from process threads).</summary>
internal sealed class UpdateSink
{
    private readonly StepKey _key;
    private readonly Action<V1.StepUpdate> _onUpdate;
    private readonly Lock _gate = new();
    private bool _done;

    /// <summary>Creates the sink for one step.</summary>
    public UpdateSink(StepKey key, Action<V1.StepUpdate> onUpdate)
    {
        _key = key;
        _onUpdate = onUpdate;
    }

    /// <summary>Sends the RUNNING update.</summary>
    public void Running() => Send(new V1.StepUpdate { State = V1.StepState.Running });

    /// <summary>Sends one output line.</summary>
    public void Output(string line) => Send(new V1.StepUpdate { State = V1.StepState.Running, OutputChunk = line + "\n" });

    /// <summary>Sends the terminal update and returns <paramref name="result"/>; later output is dropped.</summary>
    public V1.StepResult Terminal(V1.StepResult result)
    {
        Send(new V1.StepUpdate { State = result.State, Result = result });
        lock (_gate)
        {
            _done = true;
        }

        return result;
    }

    private void Send(V1.StepUpdate update)
    {
        update.RunId = _key.RunId;
        update.StepId = _key.StepId;
        lock (_gate)
        {
            if (!_done)
            {
                _onUpdate(update);
            }
        }
    }
}
