using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Support;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Transfer;

/// <summary>
/// Earth and Moon as real processes (LiteDB and artifact files on disk) with the real link emulator between them: a 48 MiB
/// artifact uploaded on Earth crosses a link that blacks out four times while Earth and then the Moon are killed (kill -9)
/// and restarted mid-transfer. It must arrive whole and verified, with the bytes the emulator carried Earth → Moon (and back)
/// at most 1.02 × its size, and a campaign pause sent while chunks flow must reach the Moon without waiting behind them.
/// </summary>
[Collection(Fleet.FleetCollection.Name)] // real processes on short timeouts: not alongside the rest of the suite
public sealed class ArtifactBlackoutEndToEndTests(ITestOutputHelper output)
{
    // 48 MiB and a short last chunk. Every interruption loses what was on its way when the link went: the bytes inside the
    // emulator (which reads ahead by up to a tenth of a second of bandwidth, more when the machine is loaded and its writer
    // lags), the chunk being read, and on a kill the chunks received but not yet committed. Six interruptions cost 0.2–0.7 MB
    // as measured here, more on a more loaded machine; the 2 % budget (1 MB at this size) covers that beside the 0.26 % framing.
    private const int Size = 48 * 1024 * 1024 + 12_345;

    [Fact]
    public async Task Artifact_AcrossFourBlackoutsAndRestartsOfBothNodes_ArrivesWholeAndVerified_WithinTwoPercentOfItsSize_ControlNotDelayed()
    {
        var clock = Stopwatch.StartNew();
        // The emulator carries 16 Mbit/s; Earth's budget is 12 (Link:BandwidthMbps below the link's rate, so bundles wait in
        // Earth's priority queue, not in socket buffers where a control bundle could not overtake them).
        await using var pair = await NodePair.StartAsync("10ms", "16mbit", ["--Link:BandwidthMbps=12"]);
        var content = new byte[Size];
        new Random(2026).NextBytes(content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        await NodePair.PostAsync(pair.EarthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "3.0.0", sha256 = sha, sizeBytes = Size });
        var campaign = (await NodePair.PostAsync(pair.EarthApi, "/api/v1/campaigns", new { name = "lunar-os 3.0.0", artifactId = sha, approvalRequired = false, batchSize = 1 }))
            .GetProperty("id").GetString()!;
        await Eventually.Holds(() => pair.ConvergedAsync().Result, "the campaign and the artifact metadata to reach the moon", TimeSpan.FromSeconds(30));
        // The same control path with no chunks queued, for comparison with the pause sent during the transfer.
        // Measured twice: the first pause also pays for warming up both processes' code paths.
        var idle = new List<string>();
        for (var i = 0; i < 2; i++)
            idle.Add((await NodePair.PostAsync(pair.EarthApi, "/api/v1/campaigns", new { name = $"idle baseline {i}", artifactId = sha, approvalRequired = false, batchSize = 1 }))
                .GetProperty("id").GetString()!);
        await Eventually.Holds(() => pair.ConvergedAsync().Result, "the baseline campaigns to reach the moon", TimeSpan.FromSeconds(30));
        await PauseLatencyAsync(pair, idle[0]);
        var idleLatency = await PauseLatencyAsync(pair, idle[1]);
        var (forward0, backward0) = await StatsAsync(pair, 1);

        using (var put = await pair.EarthApi.PutAsync($"/api/v1/artifacts/{sha}/content", new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }))
            Assert.Equal(201, (int)put.StatusCode);
        Log($"uploaded {Size:N0} bytes on earth");

        await HeldAsync(pair, sha, 0.08);
        await BlackoutAsync(pair, 1);
        await HeldAsync(pair, sha, 0.18);
        await BlackoutAsync(pair, 2);

        // A control bundle while chunks flow: the pause must not queue behind the chunks waiting on Earth's link.
        await HeldAsync(pair, sha, 0.28);
        var earthPeer = await EarthPeerAsync(pair);
        var queued = earthPeer.GetProperty("outbox").GetProperty("queuedBundles").GetInt32();
        var heldAtPause = await MoonHeldAsync(pair, sha);
        var pauseLatency = await PauseLatencyAsync(pair, campaign);
        var heldAfterPause = await MoonHeldAsync(pair, sha);
        Log($"pause reached the moon after {pauseLatency.TotalMilliseconds:0} ms (idle link: {idleLatency.TotalMilliseconds:0} ms) with {queued} bundles queued on earth's link " +
            $"(≈ {queued * 65_704 * 8 / 12e6:0.0} s of chunks at 12 Mbit/s); moon held {heldAtPause:N0} → {heldAfterPause:N0} bytes meanwhile");
        // Chunks kept flowing around the pause; had it queued behind them in arrival order it would have waited for every
        // chunk queued ahead (seconds of link time); on a loaded machine the idle figure itself grows, hence the relative bound.
        Assert.True(heldAfterPause > heldAtPause, $"chunks were meant to flow while the pause crossed, but the moon held {heldAtPause:N0} bytes before and after");
        var bound = TimeSpan.FromSeconds(Math.Max(1.5, idleLatency.TotalSeconds + 1));
        Assert.True(pauseLatency < bound, $"the pause took {pauseLatency} to reach the moon (idle link: {idleLatency}), over {bound}: it waited behind chunks");

        await HeldAsync(pair, sha, 0.38);
        pair.Earth.Kill();
        await pair.Earth.WaitForExitAsync("the killed earth");
        Log($"killed earth (moon held {await MoonHeldAsync(pair, sha):N0} bytes)");
        pair.EarthApi.Dispose();
        await pair.StartEarthAsync(pair.EmulatorEndpoint);
        Log("earth restarted");

        await HeldAsync(pair, sha, 0.50);
        await BlackoutAsync(pair, 3);
        await HeldAsync(pair, sha, 0.62);
        pair.Moon.Kill();
        await pair.Moon.WaitForExitAsync("the killed moon");
        Log("killed the moon");
        await pair.RestartMoonAsync(pair.MoonLink);
        Log($"moon restarted holding {await MoonHeldAsync(pair, sha):N0} bytes");
        await HeldAsync(pair, sha, 0.75);
        await BlackoutAsync(pair, 4);

        await Eventually.Holds(() => NodePair.GetAsync(pair.MoonApi, $"/api/v1/artifacts/{sha}").Result.GetProperty("location").GetProperty("heldHere").GetBoolean(),
            "the moon to hold the whole artifact, verified, in its mirror", TimeSpan.FromSeconds(120));
        using var get = await pair.MoonApi.GetAsync($"/api/v1/artifacts/{sha}/content");
        var mirrored = await get.Content.ReadAsByteArrayAsync();
        Assert.True(get.IsSuccessStatusCode, $"GET content on the moon: {(int)get.StatusCode} {System.Text.Encoding.UTF8.GetString(mirrored.AsSpan(0, Math.Min(500, mirrored.Length)))}");
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(mirrored)));
        var moonView = (await NodePair.GetAsync(pair.MoonApi, $"/api/v1/artifacts/{sha}")).GetProperty("location");
        Assert.Equal("held", moonView.GetProperty("state").GetString());
        Assert.True(moonView.GetProperty("onMoonMirror").GetBoolean());
        await Eventually.Holds(() => NodePair.GetAsync(pair.EarthApi, $"/api/v1/artifacts/{sha}").Result.GetProperty("location").GetProperty("onMoonMirror").GetBoolean(),
            "earth to learn that the moon mirror holds the artifact");

        var (forward1, backward1) = await StatsAsync(pair, 2);
        var forward = forward1 - forward0;
        var backward = backward1 - backward0;
        var moonArtifacts = (await NodePair.GetAsync(pair.MoonApi, "/api/v1/sync")).GetProperty("peers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "earth").GetProperty("artifacts");
        Log($"earth-link bytes for a {Size:N0}-byte artifact: earth→moon {forward:N0} ({(double)forward / Size:0.0000}×), moon→earth {backward:N0}, " +
            $"together {(double)(forward + backward) / Size:0.0000}×; moon since its restart: {moonArtifacts}; {clock.Elapsed.TotalSeconds:0} s in all");
        Assert.True(forward + backward <= 1.02 * Size, $"the link carried {forward:N0} + {backward:N0} bytes for a {Size:N0}-byte artifact: over 1.02×");
        Assert.Equal(0, moonArtifacts.GetProperty("duplicateChunks").GetInt64());
        Assert.Equal(0, moonArtifacts.GetProperty("hashMismatches").GetInt64());
    }

    private void Log(string line) => output.WriteLine(line);

    /// <summary>From Earth's pause request to the Moon's API showing the campaign paused (polled every 20 ms).</summary>
    private static async Task<TimeSpan> PauseLatencyAsync(NodePair pair, string campaign)
    {
        var clock = Stopwatch.StartNew();
        await NodePair.PostAsync(pair.EarthApi, $"/api/v1/campaigns/{campaign}/pause");
        await Eventually.Holds(() => NodePair.GetAsync(pair.MoonApi, $"/api/v1/campaigns/{campaign}").Result.GetProperty("state").GetString() == "paused",
            $"the pause of {campaign} to reach the moon", TimeSpan.FromSeconds(20));
        return clock.Elapsed;
    }

    private static async Task<JsonElement> EarthPeerAsync(NodePair pair) =>
        (await NodePair.GetAsync(pair.EarthApi, "/api/v1/sync")).GetProperty("peers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "moon");

    /// <summary>Bytes of the artifact the moon holds durably (whole or in part); -1 while its API does not answer (restarting).</summary>
    private static async Task<long> MoonHeldAsync(NodePair pair, string sha)
    {
        try
        {
            var location = (await NodePair.GetAsync(pair.MoonApi, $"/api/v1/artifacts/{sha}")).GetProperty("location");
            if (location.GetProperty("heldHere").GetBoolean()) return Size;
            return location.GetProperty("receiving") is { ValueKind: JsonValueKind.Object } r ? r.GetProperty("bytesHeld").GetInt64() : 0;
        }
        catch (HttpRequestException) { return -1; }
    }

    private async Task HeldAsync(NodePair pair, string sha, double fraction, TimeSpan? timeout = null)
    {
        await Eventually.Holds(() => MoonHeldAsync(pair, sha).Result >= fraction * Size, $"the moon to hold {fraction:P0} of the artifact", timeout ?? TimeSpan.FromSeconds(60));
        Log($"moon holds ≥ {fraction:P0}");
    }

    private async Task BlackoutAsync(NodePair pair, int n)
    {
        await pair.Emulator.SendLineAsync("down");
        var seen = 0;
        await pair.Emulator.WaitForLineAsync(l => l == "link down" && ++seen == n, $"blackout {n} to start");
        await Eventually.Holds(() => !EarthPeerAsync(pair).Result.GetProperty("linkUp").GetBoolean(), $"earth to see blackout {n}");
        await pair.Emulator.SendLineAsync("up");
        var up = 0;
        await pair.Emulator.WaitForLineAsync(l => l == "link up" && ++up == n, $"blackout {n} to end");
        Log($"blackout {n} done");
    }

    private static async Task<(long Forward, long Backward)> StatsAsync(NodePair pair, int n)
    {
        await pair.Emulator.SendLineAsync("stats");
        var seen = 0;
        var line = await pair.Emulator.WaitForLineAsync(l => l.StartsWith("stats ", StringComparison.Ordinal) && ++seen == n, "the emulator's byte counts");
        var parts = line.Split(' ').Skip(1).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return (long.Parse(parts["forward"]), long.Parse(parts["backward"]));
    }
}
