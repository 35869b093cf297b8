namespace RollbackMesh.Agent.Actions.Services;

/// <summary>start/stop/restart/reload a systemd unit and wait for the job; verified by the unit's ActiveState.</summary>
internal sealed class ServiceControlAction : AgentAction
{
    private readonly string _unit;
    private readonly ServiceOperation _operation;

    /// <summary>Creates the action for a validated unit name.</summary>
    public ServiceControlAction(string unit, ServiceOperation operation)
    {
        _unit = unit;
        _operation = operation;
    }

    /// <inheritdoc />
    public override string Kind => "service";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"systemctl {_operation.ToString().ToLowerInvariant()} {_unit} (via D-Bus, wait for the job)");

    /// <inheritdoc />
    public override async Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken)
    {
        // Only start and stop have a state that makes a repeat a no-op; restart and reload always act.
        if (_operation is ServiceOperation.Restart or ServiceOperation.Reload)
        {
            return false;
        }

        var status = await Controller(context).GetStatusAsync(_unit, cancellationToken).ConfigureAwait(false);
        return _operation == ServiceOperation.Start ? status.ActiveState == "active" : status.ActiveState is "inactive" or "failed";
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var outcome = await Controller(context).RunAsync(_unit, _operation, context.RemainingOr(context.Options.ServiceJobTimeout), cancellationToken).ConfigureAwait(false);
        context.Output($"{_operation.ToString().ToLowerInvariant()} {_unit}: job {outcome.Result}");
        if (!outcome.Succeeded)
        {
            throw new ActionFailedException($"{_operation.ToString().ToLowerInvariant()} {_unit}: job result {outcome.Result}");
        }

        return $"{_operation.ToString().ToLowerInvariant()} {_unit}: done";
    }

    /// <inheritdoc />
    public override async Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var status = await Controller(context).GetStatusAsync(_unit, cancellationToken).ConfigureAwait(false);
        return _operation == ServiceOperation.Stop ? status.ActiveState is "inactive" or "failed" : status.ActiveState == "active";
    }

    private static IServiceController Controller(ActionContext context) =>
        context.Services ?? throw new ActionFailedException("no service manager is configured on this agent");
}
