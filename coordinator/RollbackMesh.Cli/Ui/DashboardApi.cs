using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RollbackMesh.Cli.Commands;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Ui;

/// <summary>
/// The JSON the pages read, one endpoint per Operator rpc and nothing more: the dashboard adds no powers of its own, it
/// relays the operator's calls (the coordinator authorises and audits each one under the operator's certificate).
/// Replies are the rpcs' messages in protobuf's JSON mapping; a refused call is {"error": detail} with an HTTP status
/// matching its gRPC code.
/// </summary>
internal static class DashboardApi
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    /// <summary>How many runs and campaigns the Run page lists (the newest); `rollbackmesh runs` lists them all.</summary>
    internal const int MaxListed = 500;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/nodes", (Operator.OperatorClient client, CancellationToken ct) => Relay(async () =>
        {
            // The coordinator pages its reply; the page gets every node at once and pages the table itself.
            var all = new ListNodesResponse();
            var request = new ListNodesRequest();
            do
            {
                var page = await client.ListNodesAsync(request, cancellationToken: ct);
                all.Nodes.Add(page.Nodes);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            return all;
        }));

        app.MapGet("/api/runs/{runId}", (string runId, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: ct)));

        app.MapGet("/api/runs/{runId}/events", (string runId, Operator.OperatorClient client, HttpContext http) =>
            EventStream.WriteAsync(http, "run", ct => client.WatchRun(new GetRunRequest { RunId = runId }, cancellationToken: ct), Formatter));

        // Runs and campaigns, newest first, at most MaxListed: the Run page's list.
        app.MapGet("/api/runs", (Operator.OperatorClient client, CancellationToken ct) => Relay(async () =>
        {
            var all = new ListRunsResponse();
            var request = new ListRunsRequest();
            do
            {
                var page = await client.ListRunsAsync(request, cancellationToken: ct);
                all.Runs.Add(page.Runs);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            var newest = all.Runs.OrderByDescending(r => r.StartedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .Take(MaxListed).ToList();
            return new ListRunsResponse { Runs = { newest } };
        }));

        app.MapGet("/api/campaigns/{campaignId}", (string campaignId, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.GetCampaignAsync(new GetCampaignRequest { CampaignId = campaignId }, cancellationToken: ct)));

        app.MapGet("/api/campaigns/{campaignId}/events", (string campaignId, Operator.OperatorClient client, HttpContext http) =>
            EventStream.WriteAsync(http, "campaign", ct => client.WatchCampaign(new GetCampaignRequest { CampaignId = campaignId }, cancellationToken: ct), Formatter));

        // A campaign's controls, each with the operator's reason; the coordinator audits them under the operator.
        app.MapPost("/api/campaigns/{campaignId}/pause", (string campaignId, ControlBody body, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.PauseCampaignAsync(CampaignControl(campaignId, body), cancellationToken: ct)));
        app.MapPost("/api/campaigns/{campaignId}/resume", (string campaignId, ControlBody body, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.ResumeCampaignAsync(CampaignControl(campaignId, body), cancellationToken: ct)));
        app.MapPost("/api/campaigns/{campaignId}/abort", (string campaignId, ControlBody body, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.AbortCampaignAsync(CampaignControl(campaignId, body), cancellationToken: ct)));
        app.MapPost("/api/campaigns/{campaignId}/approve", (string campaignId, ControlBody body, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.ApproveCampaignAsync(CampaignControl(campaignId, body), cancellationToken: ct)));

        app.MapPost("/api/runs/{runId}/approve", (string runId, ApproveBody body, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.ApproveAsync(new ApproveRequest { RunId = runId, Gate = body.Gate ?? "" }, cancellationToken: ct)));

        // Pause, resume and abort: the page asks for a reason and a confirmation; the coordinator audits it under the operator.
        app.MapPost("/api/runs/{runId}/pause", (string runId, ControlBody body, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.PauseAsync(Control(runId, body), cancellationToken: ct)));
        app.MapPost("/api/runs/{runId}/resume", (string runId, ControlBody body, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.ResumeAsync(Control(runId, body), cancellationToken: ct)));
        app.MapPost("/api/runs/{runId}/abort", (string runId, ControlBody body, Operator.OperatorClient client, CancellationToken ct) =>
            Relay(async () => await client.AbortAsync(Control(runId, body), cancellationToken: ct)));

        app.MapGet("/api/history", (string? run, uint? limit, Operator.OperatorClient client, CancellationToken ct) => Relay(async () =>
        {
            // Older pages come after newer ones; the reply is oldest first, like the rpc's.
            var wanted = limit is null or 0 ? 100u : limit.Value;
            var request = new HistoryRequest { RunId = run ?? "", Limit = wanted };
            var entries = new List<AuditEntry>();
            do
            {
                var page = await client.HistoryAsync(request, cancellationToken: ct);
                entries.InsertRange(0, page.Entries);
                request.PageToken = page.NextPageToken;
                request.Limit = wanted - (uint)entries.Count;
            }
            while (request.PageToken.Length > 0 && request.Limit > 0);

            return new HistoryResponse { Entries = { entries } };
        }));

        app.MapGet("/api/runbooks", (Operator.OperatorClient client, CancellationToken ct) => Relay(async () =>
        {
            var all = new ListRunbooksResponse();
            var request = new ListRunbooksRequest();
            do
            {
                var page = await client.ListRunbooksAsync(request, cancellationToken: ct);
                all.Runbooks.Add(page.Runbooks);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            return all;
        }));

        app.MapPost("/api/plan", async (HttpContext http, Operator.OperatorClient client, CancellationToken ct) =>
        {
            PlanRequest request;
            try
            {
                request = await ParseAsync<PlanRequest>(http, ct);
            }
            catch (InvalidProtocolBufferException ex)
            {
                return Error(StatusCodes.Status400BadRequest, $"the plan request is not valid JSON for PlanRequest: {ex.Message}");
            }

            // Plan review is the dry runs: always ask for them.
            request.WithDryRun = true;
            return await Relay(async () => await client.PlanAsync(request, cancellationToken: ct));
        });

        // Approving a reviewed plan starts it: the coordinator refuses a plan_hash that no longer matches the fleet.
        app.MapPost("/api/runs", async (HttpContext http, Operator.OperatorClient client, CancellationToken ct) =>
        {
            StartRunRequest request;
            try
            {
                request = await ParseAsync<StartRunRequest>(http, ct);
            }
            catch (InvalidProtocolBufferException ex)
            {
                return Error(StatusCodes.Status400BadRequest, $"the start request is not valid JSON for StartRunRequest: {ex.Message}");
            }

            return string.IsNullOrEmpty(request.PlanHash)
                ? Error(StatusCodes.Status400BadRequest, "planHash is required: only a reviewed plan is started from the dashboard.")
                : await Relay(async () => await client.StartRunAsync(request, cancellationToken: ct));
        });
    }

    private static async Task<T> ParseAsync<T>(HttpContext http, CancellationToken ct)
        where T : IMessage<T>, new()
    {
        using var reader = new StreamReader(http.Request.Body);
        return Parser.Parse<T>(await reader.ReadToEndAsync(ct));
    }

    /// <summary>The approve form: the gate (step id) the operator confirmed.</summary>
    internal sealed record ApproveBody(string? Gate);

    /// <summary>The pause, resume and abort form: the operator's reason, kept in the audit.</summary>
    internal sealed record ControlBody(string? Reason);

    private static RunControlRequest Control(string runId, ControlBody body) => new() { RunId = runId, Reason = body.Reason ?? "" };

    private static CampaignControlRequest CampaignControl(string campaignId, ControlBody body) => new() { CampaignId = campaignId, Reason = body.Reason ?? "" };

    private static async Task<IResult> Relay(Func<Task<IMessage>> call)
    {
        try
        {
            return Results.Text(Formatter.Format(await call()), "application/json; charset=utf-8");
        }
        catch (RpcException ex)
        {
            return Error(HttpStatusFor(CommandRunner.CodeOf(ex)), ex.Status.Detail.Length > 0 ? ex.Status.Detail : ex.StatusCode.ToString());
        }
    }

    internal static IResult Error(int status, string message) => Results.Json(new ErrorBody(message), statusCode: status);

    internal static int HttpStatusFor(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.FailedPrecondition => StatusCodes.Status409Conflict,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };

    private sealed record ErrorBody(string Error);
}
