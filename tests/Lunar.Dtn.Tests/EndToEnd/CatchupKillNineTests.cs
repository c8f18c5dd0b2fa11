using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lunar.Dtn.Tests.Support;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.EndToEnd;

/// <summary>
/// kill -9 of the Moon service in the middle of a large catch-up, with real processes, LiteDB on disk and the
/// link emulator capping the bandwidth so the catch-up takes seconds. During a blackout Earth creates many
/// campaigns (each a control delta and an audit entry on the status stream); at 48 kbit/s they cross as a
/// control bundle (≈ 19 KB, 3 s) and then a status bundle (≈ 16 KB, 2.7 s). The Moon is killed once Earth sees the control bundle acknowledged and
/// the status bundle not yet, then restarted on the same folder and link port.
/// </summary>
[Collection(Fleet.FleetCollection.Name)] // real processes on short timeouts: not alongside the rest of the suite
public sealed partial class CatchupKillNineTests(ITestOutputHelper output)
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const int Campaigns = 600;
    private const string Control = "earth/control", Status = "earth/status";

    [Fact]
    public async Task MoonKilledMidCatchUp_RestartsOnItsFolder_KeepsAllItAcknowledged_AndConvergesWithoutDuplicates()
    {
        var clock = Stopwatch.StartNew();
        await using var pair = await NodePair.StartAsync("200ms", "48kbit");
        await NodePair.PostAsync(pair.EarthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 1000 });
        await Eventually.Holds(() => pair.ConvergedAsync().Result, "convergence before the blackout", TimeSpan.FromSeconds(20));

        await pair.Emulator.SendLineAsync("down");
        await pair.Emulator.WaitForLineAsync(l => l == "link down", "the emulator to cut the link");
        await Eventually.Holds(() => !EarthPeer(pair).GetProperty("linkUp").GetBoolean(), "earth to see the link down");

        // The catch-up: many campaigns written on Earth during the blackout, four requests at a time.
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Campaigns), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var created = await NodePair.PostAsync(pair.EarthApi, "/api/v1/campaigns",
                new { name = $"wave-{i:D4}", artifactId = Sha, approvalRequired = false, batchSize = 1 + i % 97 });
            ids.Add(created.GetProperty("id").GetString()!);
        });
        var earthVector = Vector((await NodePair.GetAsync(pair.EarthApi, "/api/v1/sync")).GetProperty("vector"));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: wrote {Campaigns} campaigns; earth's vector {Show(earthVector)}");

        await pair.Emulator.SendLineAsync("up");
        Dictionary<string, long> ackedBeforeKill = [];
        await Eventually.Holds(() =>
        {
            ackedBeforeKill = Vector(EarthPeer(pair).GetProperty("acknowledged"));
            return ackedBeforeKill.GetValueOrDefault(Control) >= earthVector[Control];
        }, "the moon to acknowledge earth's control bundle (all campaigns)", TimeSpan.FromSeconds(40));
        pair.Moon.Kill();
        await pair.Moon.WaitForExitAsync("the killed moon");
        var sent = EarthPeer(pair).GetProperty("sent");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: killed the moon; earth saw acknowledged {Show(ackedBeforeKill)}; earth had sent {sent}");
        Assert.True(ackedBeforeKill.GetValueOrDefault(Status) < earthVector[Status],
            $"the kill was meant to land while the status bundle was in transfer, but the moon had acknowledged it already: {Show(ackedBeforeKill)}");

        // Restart on the same folder and link port. The vector it logs at start is what it had on disk.
        await pair.RestartMoonAsync(pair.MoonLink);
        var serving = await pair.Moon.WaitForLineAsync(l => l.Contains("serving; data in", StringComparison.Ordinal), "the restarted moon's start line");
        var durable = VectorIn(serving);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: moon restarted with vector {Show(durable)}");
        foreach (var (stream, seq) in ackedBeforeKill)
            Assert.True(durable.GetValueOrDefault(stream) >= seq, $"the moon acknowledged {stream}:{seq} before the kill but restarted with {Show(durable)}");
        Assert.True(durable.GetValueOrDefault(Status) < earthVector[Status], $"the moon restarted with the whole catch-up already ({Show(durable)}): the kill did not land mid-transfer");
        var onMoon = CampaignIds(await NodePair.GetAsync(pair.MoonApi, "/api/v1/campaigns"));
        var missing = ids.Where(id => !onMoon.Contains(id)).ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length} acknowledged campaigns are missing on the restarted moon, e.g. {missing.FirstOrDefault()}");

        // The rest crosses again; both converge to the same state, without duplicates.
        await Eventually.Holds(() => pair.ConvergedAsync().Result, "earth and the restarted moon to converge", TimeSpan.FromSeconds(40));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: converged");
        var earthAudit = await NodePair.GetAsync(pair.EarthApi, "/api/v1/audit?limit=100000");
        var moonAudit = await NodePair.GetAsync(pair.MoonApi, "/api/v1/audit?limit=100000");
        Assert.Equal(earthAudit.GetRawText(), moonAudit.GetRawText());
        var keys = moonAudit.EnumerateArray().Select(e => (Replica: e.GetProperty("replica").GetString()!, Index: e.GetProperty("index").GetInt64())).ToArray();
        Assert.Equal(keys.Length, keys.Distinct().Count());
        var earthIndices = keys.Where(k => k.Replica == "earth").Select(k => k.Index).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, earthIndices.Length).Select(i => (long)i), earthIndices);
        Assert.Equal(earthVector[Status], earthIndices.Length);
        Assert.Equal(Campaigns, moonAudit.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "campaign-defined"));
        var campaigns = await NodePair.GetAsync(pair.MoonApi, "/api/v1/campaigns");
        Assert.Equal(Campaigns, campaigns.GetArrayLength());
        Assert.True(ids.ToHashSet().SetEquals(CampaignIds(campaigns)));
        Assert.Equal((await NodePair.GetAsync(pair.EarthApi, "/api/v1/campaigns")).GetRawText(), campaigns.GetRawText());
    }

    private static JsonElement EarthPeer(NodePair pair) =>
        NodePair.GetAsync(pair.EarthApi, "/api/v1/sync").Result.GetProperty("peers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "moon");

    private static Dictionary<string, long> Vector(JsonElement map) =>
        map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);

    /// <summary>The vector in a log line, as the replica prints it: {earth/control:5, moon/status:2}.</summary>
    private static Dictionary<string, long> VectorIn(string line) =>
        VectorEntry().Matches(line).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static HashSet<string> CampaignIds(JsonElement campaigns) =>
        campaigns.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);

    private static string Show(Dictionary<string, long> v) => "{" + string.Join(", ", v.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}:{e.Value}")) + "}";

    [GeneratedRegex(@"([\w.-]+/(?:control|status)):(\d+)")]
    private static partial Regex VectorEntry();
}
