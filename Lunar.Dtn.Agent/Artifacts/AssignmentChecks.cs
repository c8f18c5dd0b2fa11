using System.Net;
using System.Text.Json;
using Lunar.Dtn.Orchestration;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Agent.Artifacts;

/// <summary>
/// What is refused before a byte is fetched: an assignment older than what is installed (a rollback attack), and an
/// artifact other than the one the campaign pins (mix-and-match: a validly signed artifact of another campaign).
/// </summary>
public sealed class AssignmentChecks(AgentOptions options, IHttpClientFactory http, TimeProvider time, ILogger<AssignmentChecks> log)
{
    private const int Attempts = 5;

    public static string? Rollback(Assignment a, string? installed) =>
        installed is not null && VersionOrder.Compare(a.Version, installed) < 0
            ? $"rollback refused: version {a.Version} is older than the installed {installed}"
            : null;

    public async Task<string?> MixAndMatchAsync(Assignment a, CancellationToken ct)
    {
        if (!string.Equals(a.ArtifactId, a.Sha256, StringComparison.OrdinalIgnoreCase))
            return $"mix-and-match refused: the assignment names artifact {a.ArtifactId} but sha256 {a.Sha256} (artifacts are content-addressed)";
        var node = http.CreateClient("node");
        string? problem = null;
        for (var i = 0; i < Attempts; i++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                using var response = await node.GetAsync($"api/v1/agents/{Uri.EscapeDataString(options.ServerId)}/campaigns/{Uri.EscapeDataString(a.CampaignId)}", timeout.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound) return $"campaign {a.CampaignId} is unknown to the node: its artifact cannot be checked";
                if (response.IsSuccessStatusCode)
                {
                    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false));
                    var pinned = doc.RootElement.TryGetProperty("artifactId", out var p) ? p.GetString() : null;
                    return string.Equals(pinned, a.ArtifactId, StringComparison.OrdinalIgnoreCase)
                        ? null
                        : $"mix-and-match refused: campaign {a.CampaignId} pins artifact {pinned}, but the assignment names {a.ArtifactId}";
                }
                problem = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                problem = e.Message;
            }
            log.LogWarning("Campaign {Campaign} not readable yet: {Problem}", a.CampaignId, problem);
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
        }
        return $"campaign {a.CampaignId} could not be read from the node ({problem}): its artifact cannot be checked";
    }
}
