using Lunar.Dtn.Simulator.Scenarios;
using Lunar.Dtn.Simulator.World;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Simulation;

/// <summary>
/// The artifact in <c>simulator run</c>: it crosses the Earth link once as the real transfer's signed chunk bundles, and the
/// lunar swarm hands it round at piece level with the mirror uploading little; the download feeds the downloading phase.
/// </summary>
public sealed class SimulationArtifactTests
{
    private static Scenario Fleet(int seed, double artifactMB = 100, string lan = "") => ScenarioReader.Parse($$"""
        { "name": "artifact", "seed": {{seed}},
          "servers": { "count": 300, "stagingPool": 30 },
          "upgrade": { "meanMinutes": 20, "failureRate": 0.02 },
          "artifact": { "sizeMB": {{artifactMB.ToString(System.Globalization.CultureInfo.InvariantCulture)}} },
          "campaign": { "concurrency": 20, "batchSize": 10 },
          "lan": { {{lan}} } }
        """);

    [Fact]
    public void Run_BaselineLikeFleet_ArtifactCrossesTheEarthLinkOnce_AndTheMirrorSendsLittleOfWhatAgentsGet()
    {
        var s = Fleet(21);
        var world = new SimWorld(s);
        var r = world.Run();
        Assert.True(r.Completed);
        Assert.Empty(r.Violations);
        var a = r.Artifact;
        // One copy of the content plus each 64 KiB chunk's bundle framing and signature (~0.26 %), nothing sent twice.
        Assert.InRange(a.EarthChunkBytes, s.ArtifactBytes, (long)(1.05 * s.ArtifactBytes));
        Assert.True(a.EarthRatio is >= 1.0 and <= 1.05, $"Earth-link artifact bytes {a.EarthRatio:0.#####}× the artifact");
        // The Moon held it verified no sooner than one light time plus the transmission of its bytes.
        Assert.NotNull(a.MirrorHoldsHours);
        Assert.True(a.MirrorHoldsHours!.Value * 3600 >= a.Crossing.MinSeconds - 0.01, $"held at {a.MirrorHoldsHours} h, the floor is {a.Crossing.MinSeconds} s");
        // Every attempt got every byte: delivered = downloads that moved bytes × the size.
        Assert.True(a.Swarm.DeliveredBytes >= (long)s.Servers * s.ArtifactBytes, $"delivered {a.Swarm.DeliveredBytes:N0} bytes to {s.Servers} servers");
        // Super-seeding sends each piece about once; the rest comes from peers. 300 servers: at most 2 copies, ≤ 1 % of what was delivered.
        Assert.True(a.Swarm.MirrorEgressBytes <= 2 * s.ArtifactBytes, $"the mirror sent {a.Swarm.MirrorEgressBytes:N0} bytes ({(double)a.Swarm.MirrorEgressBytes / s.ArtifactBytes:0.##} copies)");
        Assert.True(a.MirrorShare <= 0.01, $"mirror egress {a.MirrorShare:P3} of delivered");
        Assert.True(a.Swarm.MirrorSuperSeedBytes >= s.ArtifactBytes, "the mirror put every piece into the swarm at least once");
        Assert.True(a.Swarm.PeerSameSiteBytes > a.Swarm.PeerBytes / 2, "peers of the same site are preferred");
        var (lb, why) = LowerBound.Of(s, world.Work, world.Crossing);
        Assert.Contains("first crossing", why);
        Assert.True(lb >= a.Crossing.MinSeconds / 3600 + a.Crossing.WorkAfterArrivalHours / s.Concurrency - 0.001, $"the lower bound {lb} h counts the crossing");
    }

    [Fact]
    public void Run_SlowLan_TheDownloadLengthensTheDownloadingPhase_AndTheCampaign()
    {
        // 50 MB at 4 Mbit/s per agent is at least 100 s a server: 300 servers over 20 slots add ≥ 25 min.
        var fast = Fleet(9, artifactMB: 50);
        var slow = Fleet(9, artifactMB: 50, lan: "\"serverMbps\": 4, \"agentUploadMbps\": 4");
        var worldSlow = new SimWorld(slow);
        var worldFast = new SimWorld(fast);
        var a = worldFast.Run();
        var b = worldSlow.Run();
        Assert.True(a.Completed && b.Completed);
        Assert.Empty(b.Violations);
        Assert.True(b.Artifact.Swarm.MeanDownloadSeconds >= 100, $"a download took {b.Artifact.Swarm.MeanDownloadSeconds} s on average");
        Assert.True(a.Artifact.Swarm.MeanDownloadSeconds < 10, $"a download took {a.Artifact.Swarm.MeanDownloadSeconds} s on average on a fast LAN");
        Assert.True(b.CampaignHours >= a.CampaignHours + 25 / 60.0, $"slow LAN {b.CampaignHours} h, fast LAN {a.CampaignHours} h");
        // The lower bound counts the downloads as work: the slow LAN does not move the campaign further from it.
        var slowRatio = b.CampaignHours!.Value / LowerBound.Of(slow, worldSlow.Work, worldSlow.Crossing).Hours;
        var fastRatio = a.CampaignHours!.Value / LowerBound.Of(fast, worldFast.Work, worldFast.Crossing).Hours;
        Assert.True(slowRatio <= fastRatio + 0.05, $"campaign / lower bound {slowRatio:0.###} on the slow LAN, {fastRatio:0.###} on the fast one");
    }

    [Fact]
    public void Run_MoonCrashesWhileTheArtifactCrosses_TheTransferResumesFromWhatTheMoonHeld()
    {
        // 100 MB at 10 Mbit/s needs ~81 s; the Moon dies 40 s in for 5 minutes and restarts from its disk (bitmap and partial file).
        var s = Fleet(4) with { Events = [new ScenarioEvent(TimeSpan.FromSeconds(40), "moon", "crash", null, TimeSpan.FromMinutes(5))] };
        var r = new SimWorld(s).Run();
        Assert.True(r.Completed);
        Assert.Empty(r.Violations);
        Assert.True(r.Artifact.MirrorHoldsHours * 3600 >= 340, $"the Moon held the artifact at {r.Artifact.MirrorHoldsHours} h, after its restart");
        // The simulated link stays up while the Moon is dead, so Earth's window (64 chunks) goes into the void, and the restarted
        // Moon's full status makes Earth send its window again: at most two windows more than one copy, never all of it again.
        var oneCopy = 1.003 * s.ArtifactBytes;
        var window = 64 * (64 * 1024 + 200);
        Assert.True(r.Artifact.EarthChunkBytes <= oneCopy + 2 * window, $"Earth-link artifact bytes {r.Artifact.EarthRatio:0.#####}× the artifact");
        Assert.True(r.Artifact.EarthChunkBytes >= s.ArtifactBytes);
    }

    [Fact]
    public void Sweep_Seed592_HelloLostOnALossyLink_TheTransferAsksAgainAndTheCampaignCompletes()
    {
        // Regression found by the 1,000-seed sweep once the real transfer ran in it: on a 2.4 % lossy link the Moon's hello
        // was lost, Earth (which sends no chunk before the peer's full status) waited forever, the Moon never held the
        // artifact and the staging pool timed out in downloading. The transfer now asks for the peer's status again.
        var scenario = ScenarioReader.Load(Path.Combine(AppContext.BaseDirectory, "scenarios", "sweep-small.json"));
        var s = SweepCommand.WithFaults(scenario, 592);
        Assert.True(s.Loss > 0.02);
        var r = new SimWorld(s).Run();
        Assert.NotNull(r.Artifact.MirrorHoldsHours);
        Assert.True(r.Artifact.MirrorHoldsHours < 0.1, $"the Moon held the artifact after {r.Artifact.MirrorHoldsHours} h");
        Assert.True(r.Completed);
        Assert.Empty(r.Violations);
    }

    [Theory]
    [InlineData("\"artifact\":{\"sizeMB\":0}", "artifact.sizeMB")]
    [InlineData("\"artifact\":{\"sizeMB\":\"big\"}", "artifact.sizeMB")]
    [InlineData("\"artifact\":{\"pieceKB\":100}", "artifact.pieceKB")]
    [InlineData("\"artifact\":{\"pieceKB\":8}", "artifact.pieceKB")]
    [InlineData("\"lan\":{\"mirrorMbps\":0}", "lan.mirrorMbps")]
    [InlineData("\"lan\":{\"serverMbps\":-1}", "lan.serverMbps")]
    [InlineData("\"lan\":{\"agentUploadMbps\":\"fast\"}", "lan.agentUploadMbps")]
    public async Task Run_BadArtifactOrLanField_ExitsTwoNamingTheField(string field, string name)
    {
        using var dir = new TempDir("sim-bad-field");
        var file = Path.Combine(dir.Path, "bad.json");
        File.WriteAllText(file, $$"""{ "servers": { "count": 10, "stagingPool": 0 }, {{field}} }""");
        using var run = ChildProcess.Start("simulator", ["run", "--scenario", file, "--out", Path.Combine(dir.Path, "out")]);
        var code = await run.WaitForExitAsync("simulator run on a bad scenario", TimeSpan.FromMinutes(1));
        Assert.Equal(2, code);
        Assert.Contains(run.Seen, l => l.Contains(name, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")), "nothing is written for a bad scenario");
    }
}
