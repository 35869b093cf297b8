namespace RollbackMesh.Cli;

/// <summary>The CLI's exit codes; scripts rely on them.</summary>
internal static class CliExitCodes
{
    /// <summary>
    /// The command did what was asked (for apply --watch and watch: the run succeeded, or finished with failed nodes
    /// within its failure budget and --accept-budget was given).
    /// </summary>
    public const int Success = 0;

    /// <summary>The operation or the run failed (run failed or aborted, control refused in the run's state).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: usage, unknown runbook or run, bad parameter, plan hash mismatch.</summary>
    public const int BadInput = 2;

    /// <summary>The coordinator could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>
    /// Not allowed: a certificate one side does not accept (the coordinator's not from --ca; the operator's from another
    /// CA, expired or revoked; a node certificate used as an operator's), or an identity without the right.
    /// </summary>
    public const int NotAllowed = 4;

    /// <summary>
    /// For apply --watch and watch: the run finished, but nodes failed (or ended unknown) within a phase's failure
    /// budget, and --accept-budget was not given.
    /// </summary>
    public const int FinishedWithFailures = 5;
}
