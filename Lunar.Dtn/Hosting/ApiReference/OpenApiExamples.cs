using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lunar.Dtn.Hosting.ApiReference;

/// <summary>
/// Adds examples to /openapi/v1.json: a request body for every operation that takes one (keyed by operation id),
/// and for every problem response an RFC 9457 body with the kind of detail this node really answers.
/// </summary>
public static class OpenApiExamples
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static readonly Dictionary<string, string> RequestBodies = new(StringComparer.Ordinal)
    {
        ["CreateCampaign"] = $$"""
            { "name": "lunar-os 2.4.0 wave 1", "artifactId": "{{Sha}}", "selector": { "sites": ["shackleton"], "clusters": [], "tiers": [2, 3] },
              "batchSize": 50, "concurrencyLimit": 30, "pauseOnAnomaly": { "failureRate": 0.1, "window": 50 },
              "tier2Windows": [ { "start": "22:00", "end": "06:00" } ], "approvalRequired": true }
            """,
        ["CancelCampaign"] = """{ "rollback": true }""",
        ["RegisterArtifact"] = $$"""{ "name": "lunar-os", "version": "2.4.0", "sha256": "{{Sha}}", "sizeBytes": 104857600 }""",
        ["SubmitApproval"] = """
            { "approverId": "alice", "role": "flight-director", "contentHash": "270e1fc7153868198fe27e27ec6e9d7db9e51cfa0eb2cd9063385c181ef6c7d8",
              "decision": "approve", "signedAtMs": 1798761600000, "signature": "<128 hex digits: Ed25519 over ApprovalRecord.SigningBytes>" }
            """,
        ["ReportPhase"] = """{ "campaignId": "camp-1a2b3c4d5e6f", "attempt": 1, "phase": "applying", "seq": 4, "version": "2.4.0", "detail": "writing image" }""",
    };

    private static readonly Dictionary<string, (string Title, string Detail)> ProblemsByStatus = new(StringComparer.Ordinal)
    {
        ["400"] = ("Invalid request", "batchSize must be at least 1"),
        ["404"] = ("Not found", "no campaign 'camp-000000000000' on this node"),
        ["409"] = ("Illegal state transition", "campaign 'camp-1a2b3c4d5e6f' is cancelled; cancel is final, so it cannot resume"),
        ["503"] = ("Service unavailable", "the executor's scheduling loop is stopped"),
    };

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Health", "Liveness, readiness and Prometheus metrics."),
        ("Campaigns", "Create, read and control upgrade campaigns; every write is replicated and audited."),
        ("Servers", "One server's upgrade state machine, inventory and recent log."),
        ("Approvals", "Signed approvals of a campaign's content hash, and whether the quorum holds."),
        ("Artifacts", "Content-addressed artifact metadata (the id is the sha256)."),
        ("Audit", "The merged, hash-chained audit log of every replica."),
        ("Execution", "Executor-side controls (Moon and Tier 1)."),
        ("Agents", "The agent protocol: registration, long-polled assignments, phase reports."),
        ("Sync", "Link and replication state per peer."),
        ("Constellation", "The signed constellation of node and approver keys."),
        ("Dashboard", "What the operators' dashboard at / shows, and its live feed."),
    ];

    public static OpenApiOptions DescribeExamples(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Lunar.Dtn node API";
            document.Info.Description = "The REST API of an Earth, Moon or Tier 1 node. JSON in and out (camelCase); errors are RFC 9457 problem details " +
                "with a detail that says what was wrong. No authentication on 127.0.0.1 in this round. The dashboard is at /, this reference at /scalar/v1.";
            // The server URL without its trailing slash, so paths join cleanly.
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            var used = document.Paths.Values.Where(p => p.Operations is not null).SelectMany(p => p.Operations!.Values)
                .Where(o => o.Tags is not null).SelectMany(o => o.Tags!).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            document.Tags = new HashSet<OpenApiTag>(Tags.Where(t => used.Contains(t.Name)).Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, _, _) =>
        {
            if (operation.OperationId is { } id && RequestBodies.TryGetValue(id, out var body) && operation.RequestBody?.Content is { } content)
                foreach (var media in content.Values) media.Example = JsonNode.Parse(body);
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (!ProblemsByStatus.TryGetValue(status, out var p) || response.Content is null) continue;
                foreach (var (type, media) in response.Content)
                {
                    if (!type.Contains("problem", StringComparison.Ordinal)) continue;
                    media.Example = new JsonObject
                    {
                        ["type"] = $"https://tools.ietf.org/html/rfc9110#section-15.{(status[0] == '4' ? 5 : 6)}.{(status == "400" ? 1 : status == "404" ? 5 : status == "409" ? 10 : 4)}",
                        ["title"] = p.Title,
                        ["status"] = int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
                        ["detail"] = p.Detail,
                    };
                }
            }
            return Task.CompletedTask;
        });
        return options;
    }
}
