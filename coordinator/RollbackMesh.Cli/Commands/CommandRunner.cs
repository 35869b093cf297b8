using System.CommandLine;
using RollbackMesh.Cli.Connection;
using RollbackMesh.Cli.Output;
using Grpc.Core;
using Grpc.Net.Client;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>What a command's body gets: the open channel, the output writer, and the parse result.</summary>
internal sealed record CommandContext(GrpcChannel Channel, CliOutput Output, ParseResult Result, CancellationToken CancellationToken)
{
    /// <summary>The Operator service on <see cref="Channel"/>.</summary>
    public Operator.OperatorClient Operator { get; } = new(Channel);
}

/// <summary>
/// Runs a command body with the connection open and turns failures into the CLI's exit codes: usage problems 2,
/// an unreachable coordinator 3, a certificate or identity the other side does not accept 4, refusals by status code (INVALID_ARGUMENT and NOT_FOUND are bad input; FAILED_PRECONDITION
/// is bad input where the command says so, e.g. a stale plan hash, else a failed operation).
/// </summary>
internal static class CommandRunner
{
    public static void SetAction(Command command, Func<CommandContext, Task<int>> body, bool preconditionIsBadInput = false) =>
        command.SetAction((result, ct) => RunAsync(result, body, preconditionIsBadInput, ct));

    private static async Task<int> RunAsync(ParseResult result, Func<CommandContext, Task<int>> body, bool preconditionIsBadInput, CancellationToken ct)
    {
        var output = new CliOutput(result.GetValue(GlobalOptions.Json));
        TlsTrust? tls = null;
        try
        {
            (var channel, tls) = CoordinatorConnection.Open(result);
            using (channel)
            {
                return await body(new CommandContext(channel, output, result, ct)).ConfigureAwait(false);
            }
        }
        catch (CliUsageException ex)
        {
            output.Error(ex.Message);
            return CliExitCodes.BadInput;
        }
        catch (RpcException ex) when (CodeOf(ex) == StatusCode.Unavailable && tls?.ExplainFailure(ex.Status.DebugException) is { } refusal)
        {
            // The handshake, not the network, failed: a certificate is not trusted by one side.
            output.Error($"not allowed: {refusal}");
            return CliExitCodes.NotAllowed;
        }
        catch (RpcException ex)
        {
            output.Error(Describe(ex));
            return ExitCodeFor(CodeOf(ex), preconditionIsBadInput);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            output.Error("interrupted");
            return CliExitCodes.Failed;
        }
    }

    /// <summary>The exit code for a call that ended with <paramref name="code"/>.</summary>
    internal static int ExitCodeFor(StatusCode code, bool preconditionIsBadInput) => code switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => CliExitCodes.Unreachable,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => CliExitCodes.NotAllowed,
        StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.OutOfRange => CliExitCodes.BadInput,
        StatusCode.FailedPrecondition when preconditionIsBadInput => CliExitCodes.BadInput,
        _ => CliExitCodes.Failed,
    };

    /// <summary>
    /// The call's status code, except that a connection which broke or a TLS handshake that failed counts as UNAVAILABLE:
    /// grpc-dotnet reports those as INTERNAL with the HTTP stack's exception attached, and for the operator they mean the
    /// coordinator could not be reached (or not trusted), exit 3.
    /// </summary>
    internal static StatusCode CodeOf(RpcException ex) =>
        ex.StatusCode == StatusCode.Internal && ex.Status.DebugException is HttpRequestException or IOException
            ? StatusCode.Unavailable
            : ex.StatusCode;

    private static string Describe(RpcException ex) => CodeOf(ex) switch
    {
        StatusCode.Unavailable => $"coordinator unreachable: {ex.Status.Detail}",
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => $"not allowed: {ex.Status.Detail}",
        _ => ex.Status.Detail.Length > 0 ? ex.Status.Detail : ex.StatusCode.ToString(),
    };
}
