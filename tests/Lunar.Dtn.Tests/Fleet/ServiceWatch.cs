using System.Net.Http.Json;
using System.Text.Json;

namespace Lunar.Dtn.Tests.Fleet;

/// <summary>
/// Polls GET /api/v1/servers/{id}/state of every server while a campaign runs and keeps every distinct
/// (attempt, phase, since) it saw, to rebuild afterwards when each server was out of service.
/// <para>
/// What this can and cannot prove. The Moon keeps only each server's latest status (and audits only failures and
/// rollbacks), so the intervals are rebuilt from samples. The end of an attempt is exact: the final phase stays,
/// with the Moon's time of it. The start is the <c>since</c> of the earliest out-of-service phase a poll caught:
/// usually <c>queued</c> or <c>pre-check</c>, at most a few milliseconds after the true start (the agent long-polls
/// and reports pre-check at once). So each rebuilt interval lies inside the true one: an overlap found is a real
/// violation (no false alarms), but an overlap shorter than the part missed at the start would go unseen.
/// </para>
/// </summary>
public sealed class ServiceWatch(HttpClient api, IReadOnlyList<string> servers)
{
    private static readonly HashSet<string> OutOfService =
        ["queued", "pre-check", "downloading", "verifying", "applying", "smoke-test", "validated", "failed", "rolling-back", "timed-out"];

    private readonly Dictionary<string, List<(string Campaign, int Attempt, string Phase, long SinceMs)>> _seen =
        servers.ToDictionary(s => s, _ => new List<(string, int, string, long)>());
    private readonly Dictionary<string, (string Group, int Tier, bool Staging)> _inventory = [];

    public int Polls { get; private set; }

    /// <summary>
    /// Polls the servers one after another, round after round, until <paramref name="stop"/>: one request at a time,
    /// so the watch never competes with the fleet for the Moon's two cores more than it must.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var id in servers) Note(await api.GetFromJsonAsync<JsonElement>($"/api/v1/servers/{id}/state", CancellationToken.None));
            Polls++;
            try { await Task.Delay(50, stop); } catch (OperationCanceledException) { }
        }
    }

    private void Note(JsonElement s)
    {
        var id = s.GetProperty("id").GetString()!;
        _inventory[id] = (s.GetProperty("redundancyGroup").GetString() ?? id, s.GetProperty("tier").GetInt32(), s.GetProperty("staging").GetBoolean());
        if (s.GetProperty("campaignId").GetString() is not { } campaign) return;
        var sample = (campaign, s.GetProperty("attempt").GetInt32(), s.GetProperty("phase").GetString()!,
            s.GetProperty("since").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var list = _seen[id];
        if (!list.Contains(sample)) list.Add(sample);
    }

    /// <summary>The rebuilt out-of-service intervals of every attempt of <paramref name="campaignId"/>.</summary>
    public IReadOnlyList<ServiceInterval> Intervals(string campaignId)
    {
        var result = new List<ServiceInterval>();
        foreach (var (id, samples) in _seen)
        {
            foreach (var attempt in samples.Where(x => x.Campaign == campaignId).GroupBy(x => x.Attempt))
            {
                var from = attempt.Where(x => OutOfService.Contains(x.Phase)).Select(x => x.SinceMs).DefaultIfEmpty(long.MaxValue).Min();
                var to = attempt.Where(x => x.Phase is "complete" or "rolled-back").Select(x => x.SinceMs).DefaultIfEmpty(long.MaxValue).Min();
                if (from == long.MaxValue) from = to; // only the final phase was seen: nothing known about its start
                var (group, tier, staging) = _inventory[id];
                result.Add(new ServiceInterval(id, group, tier, staging, attempt.Key, from, to));
            }
        }
        return result;
    }

    /// <summary>Pairs of one redundancy group whose rebuilt intervals overlap.</summary>
    public static IReadOnlyList<string> GroupOverlaps(IReadOnlyList<ServiceInterval> intervals) =>
        intervals.GroupBy(i => i.Group)
            .SelectMany(g => g.SelectMany((a, i) => g.Skip(i + 1).Where(a.Overlaps).Select(b => $"{a} overlaps {b}")))
            .ToArray();

    /// <summary>The most intervals open at one instant.</summary>
    public static int MaxConcurrent(IReadOnlyList<ServiceInterval> intervals) =>
        intervals.Where(i => i.FromMs < i.ToMs)
            .SelectMany(i => new[] { (At: i.FromMs, By: 1), (At: i.ToMs, By: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.By) // an end and a start at the same millisecond do not overlap
            .Aggregate((Now: 0, Max: 0), (acc, e) => (acc.Now + e.By, Math.Max(acc.Max, acc.Now + e.By))).Max;
}
