using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Orchestration;

namespace Lunar.Dtn.Agent.Protocol;

/// <summary>
/// The two agent endpoints of the executor node, one HTTP exchange per call. Every outcome, including no answer
/// at all, comes back as a value: deciding what to retry is <see cref="NodeRetry"/>'s business, not this class's.
/// </summary>
public sealed class NodeClient(HttpClient http, string serverId, TimeProvider time)
{
    /// <summary>How long one report may take before it counts as lost (the node then gets it again).</summary>
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Slack over the long-poll wait before the poll counts as lost.</summary>
    private static readonly TimeSpan PollSlack = TimeSpan.FromSeconds(15);

    private readonly string _agent = $"api/v1/agents/{Uri.EscapeDataString(serverId)}";

    public async Task<ReportAnswer> ReportAsync(AgentReport report, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(ReportTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var response = await http.PostAsJsonAsync($"{_agent}/report", report, ProtocolJson.Options, linked.Token);
            var body = await ReadJsonAsync(response, linked.Token);
            var status = (int)response.StatusCode;
            var phase = Text(body, "phase");
            var detail = Text(body, "detail") ?? response.ReasonPhrase ?? "";
            return status switch
            {
                200 => new ReportAnswer(ReportAnswerKind.Acknowledged, status, phase,
                    body is { } b && b.TryGetProperty("duplicate", out var d) && d.ValueKind == JsonValueKind.True, detail),
                409 => new ReportAnswer(ReportAnswerKind.Conflict, status, phase, false, detail),
                404 => new ReportAnswer(ReportAnswerKind.UnknownAgent, status, phase, false, detail),
                429 or >= 500 => new ReportAnswer(ReportAnswerKind.Transient, status, phase, false, $"HTTP {status} {detail}".Trim()),
                _ => new ReportAnswer(ReportAnswerKind.Rejected, status, phase, false, $"HTTP {status} {detail}".Trim()),
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ReportAnswer.Transient($"no answer within {ReportTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return ReportAnswer.Transient(e.Message);
        }
    }

    public async Task<AssignmentAnswer> GetAssignmentAsync(int waitSeconds, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(waitSeconds) + PollSlack, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var response = await http.GetAsync($"{_agent}/assignment?waitSeconds={waitSeconds}", linked.Token);
            switch (response.StatusCode)
            {
                case HttpStatusCode.NoContent:
                    return AssignmentAnswer.None;
                case HttpStatusCode.NotFound:
                    return new AssignmentAnswer(null, true, null);
                case HttpStatusCode.OK:
                    var assignment = await response.Content.ReadFromJsonAsync<Assignment>(ProtocolJson.Options, linked.Token);
                    return assignment is null ? new AssignmentAnswer(null, false, "empty assignment") : new AssignmentAnswer(assignment, false, null);
                default:
                    return new AssignmentAnswer(null, false, $"HTTP {(int)response.StatusCode} {Text(await ReadJsonAsync(response, linked.Token), "detail")}".Trim());
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new AssignmentAnswer(null, false, "no answer to the long poll in time");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return new AssignmentAnswer(null, false, e.Message);
        }
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException) { return null; } // a proxy's HTML error page: the status code still says what happened
    }

    private static string? Text(JsonElement? body, string name) =>
        body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
