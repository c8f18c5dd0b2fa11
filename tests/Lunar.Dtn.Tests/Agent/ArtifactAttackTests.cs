using System.Security.Cryptography;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Agent;

/// <summary>
/// The real agent process against a hostile node or mirror (the <see cref="StubExecutor"/> plays them): every attack
/// the issue names is refused with its reason before anything is applied, and the version installed before stays.
/// </summary>
public sealed class ArtifactAttackTests
{
    [Fact]
    public async Task HashMismatch_ArbitrarySoftware_IsRefusedAndThePreviousVersionStaysInstalled()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        using var agent = await InstallFirstAsync(node, setup, "1.0.0");
        var genuine = NewArtifact(400_000);
        // Same size, other bytes, and a torrent made from them: every piece checks out against that torrent; only the signed hash catches it.
        node.Assign(AgentUnderTest.DefaultServerId, "camp-2", version: "2.0.0", artifact: genuine, serve: RandomNumberGenerator.GetBytes(400_000));

        var failed = await RefusedAsync(node, "camp-2");
        Assert.Contains("hash mismatch refused", failed, StringComparison.Ordinal);
        Assert.Contains(genuine.Sha256, failed, StringComparison.Ordinal);
        AssertPreviousVersionStays(node, setup, "1.0.0");
        Assert.False(File.Exists(Path.Combine(setup.Settings["Agent:DataDir"], "artifacts", genuine.Sha256)), "the refused bytes are not kept (nor seeded)");
    }

    [Fact]
    public async Task OlderVersion_RollbackAttack_IsRefusedAndThePreviousVersionStaysInstalled()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        using var agent = await InstallFirstAsync(node, setup, "2.0.0");
        node.Assign(AgentUnderTest.DefaultServerId, "camp-2", version: "1.9.0", artifact: NewArtifact(100_000));

        var failed = await RefusedAsync(node, "camp-2");
        Assert.Equal("rollback refused: version 1.9.0 is older than the installed 2.0.0", failed);
        AssertPreviousVersionStays(node, setup, "2.0.0");
    }

    [Fact]
    public async Task ArtifactOfAnotherCampaign_MixAndMatch_IsRefusedAndThePreviousVersionStaysInstalled()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        using var agent = await InstallFirstAsync(node, setup, "1.0.0");
        var pinned = NewArtifact(100_000);
        node.CampaignArtifactId = pinned.Sha256; // the campaign pins another (validly signed) artifact than the one assigned
        var other = NewArtifact(100_000);
        node.Assign(AgentUnderTest.DefaultServerId, "camp-2", version: "2.0.0", artifact: other);

        var failed = await RefusedAsync(node, "camp-2");
        Assert.Equal($"mix-and-match refused: campaign camp-2 pins artifact {pinned.Sha256}, but the assignment names {other.Sha256}", failed);
        AssertPreviousVersionStays(node, setup, "1.0.0");
    }

    [Fact]
    public async Task MirrorSendingMoreThanAsked_EndlessData_IsRefusedAndThePreviousVersionStaysInstalled()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        using var agent = await InstallFirstAsync(node, setup, "1.0.0");
        node.ExtraBytes = 4 * 1024 * 1024;
        node.Assign(AgentUnderTest.DefaultServerId, "camp-2", version: "2.0.0", artifact: NewArtifact(200_000));

        var failed = await RefusedAsync(node, "camp-2");
        Assert.StartsWith("endless data: the mirror sent more than the", failed, StringComparison.Ordinal);
        AssertPreviousVersionStays(node, setup, "1.0.0");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PeerSendingEndlessData_IsCutOff_AndTheGenuineArtifactComesFromTheMirror(bool oversizedMessage)
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        using var agent = await InstallFirstAsync(node, setup, "1.0.0");
        await using var hostile = new HostilePeer(() => node.Metainfo, oversizedMessage);
        node.TrackerPeers = [hostile.Endpoint];
        var genuine = NewArtifact(400_000);
        node.Assign(AgentUnderTest.DefaultServerId, "camp-2", version: "2.0.0", artifact: genuine);

        var sentBeforeCutOff = await hostile.CutOff.WaitAsync(TimeSpan.FromSeconds(30));
        await node.WaitForAsync(r => r.Accepted && r.Report.CampaignId == "camp-2" && r.Report.Phase == "complete", "camp-2 to complete from the mirror", TimeSpan.FromSeconds(60));
        var kept = Path.Combine(setup.Settings["Agent:DataDir"], "artifacts", genuine.Sha256);
        Assert.Equal(genuine.Content, File.ReadAllBytes(kept)); // exactly the signed bytes, none of the peer's
        Assert.True(sentBeforeCutOff < HostilePeer.MaxBytesPerConnection, $"the peer sent {sentBeforeCutOff} bytes before it was cut off");
        await agent.WaitForLineAsync(l => l.Contains("Closing peer", StringComparison.Ordinal) &&
            l.Contains(oversizedMessage ? "a message of 1073741824 bytes" : "blocks nobody requested", StringComparison.Ordinal), "the agent to log why it cut the peer off");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PeerSendingEndlessData_NoOtherSource_IsRefusedAndThePreviousVersionStaysInstalled(bool oversizedMessage)
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        using var agent = await InstallFirstAsync(node, setup, "1.0.0");
        await using var hostile = new HostilePeer(() => node.Metainfo, oversizedMessage);
        node.TrackerPeers = [hostile.Endpoint];
        node.ContentUnavailable = true; // the mirror cannot serve: the lying peer is the only source
        node.Assign(AgentUnderTest.DefaultServerId, "camp-2", version: "2.0.0", artifact: NewArtifact(400_000),
            phaseTimeouts: new Dictionary<string, int> { ["downloading"] = 6 });

        var failed = await RefusedAsync(node, "camp-2");
        Assert.StartsWith("the download did not finish within the 6 s the node allows (", failed, StringComparison.Ordinal);
        Assert.Contains("cut off for breaking the protocol", failed, StringComparison.Ordinal);
        Assert.Contains(oversizedMessage ? "a message of 1073741824 bytes" : "blocks nobody requested", failed, StringComparison.Ordinal);
        AssertPreviousVersionStays(node, setup, "1.0.0");
        Assert.True(hostile.CutOff.IsCompleted, "the agent closed the hostile peer's connection");
    }

    [Fact]
    public async Task TorrentLongerThanTheSignedSize_EndlessData_IsRefusedAndThePreviousVersionStaysInstalled()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        using var agent = await InstallFirstAsync(node, setup, "1.0.0");
        var genuine = NewArtifact(200_000);
        node.Assign(AgentUnderTest.DefaultServerId, "camp-2", version: "2.0.0", artifact: genuine, serve: [.. genuine.Content, .. new byte[1_000_000]]);

        var failed = await RefusedAsync(node, "camp-2");
        Assert.Equal("endless data refused: the torrent describes 1200000 bytes but the signed artifact is 200000", failed);
        AssertPreviousVersionStays(node, setup, "1.0.0");
    }

    /// <summary>
    /// Issue 16, defect 1: the refusal of an oversized torrent was thrown outside the fetch's only catch, so the agent exited
    /// (code 3) and every restart resumed into the same refusal, a crash loop. It must end as a refusal like its siblings.
    /// Without a Content-Length the agent must not read an endless torrent into memory nor ask for it again forever.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TorrentLargerThanTheLimit_IsRefused_TheAgentLivesOn_AndThePreviousVersionStaysInstalled(bool withLength)
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        using var agent = await InstallFirstAsync(node, setup, "1.0.0");
        node.TorrentExtraBytes = 5 * 1024 * 1024;
        node.TorrentWithoutLength = !withLength;
        node.Assign(AgentUnderTest.DefaultServerId, "camp-2", version: "2.0.0", artifact: NewArtifact(100_000));

        var failed = await RefusedAsync(node, "camp-2");
        Assert.Equal("the node's torrent is larger than 4194304 bytes", failed);
        AssertPreviousVersionStays(node, setup, "1.0.0");
        Assert.False(agent.HasExited, "the agent must live on after a refused download");
    }

    [Fact]
    public async Task Download_AgentKilledMidway_ResumesFromThePiecesItHeld()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        var artifact = NewArtifact(2_000_000); // 62 pieces of 32 KiB
        node.ContentDelayMs = 150;
        node.Assign(AgentUnderTest.DefaultServerId, artifact: artifact);
        var state = Path.Combine(setup.Settings["Agent:DataDir"], "artifacts", artifact.Sha256 + ".pieces");
        var agent = setup.Start();
        try
        {
            await Eventually.Holds(() => File.Exists(state) && Held(state) >= 16, "the agent to hold at least 16 pieces", TimeSpan.FromSeconds(60));
            agent.Kill();
            await agent.WaitForExitAsync("the killed agent");
            var heldBeforeRestart = Held(state);
            var requestsBefore = node.ContentRequests;
            node.ContentDelayMs = 0;
            agent.Dispose();
            agent = setup.Start();
            await node.WaitForPhaseAsync("complete", TimeSpan.FromSeconds(60));

            var fetchedAfter = node.ContentRequests - requestsBefore;
            Assert.True(fetchedAfter <= 62 - heldBeforeRestart + 4, $"after the restart {fetchedAfter} pieces were fetched, though {heldBeforeRestart} of 62 were held");
            Assert.Contains(node.Accepted, r => r.Report.Detail?.Contains("agent restarted during downloading", StringComparison.Ordinal) == true);
        }
        finally
        {
            agent.Dispose();
        }
    }

    private static int Held(string stateFile)
    {
        try { return File.ReadAllBytes(stateFile).Sum(b => System.Numerics.BitOperations.PopCount(b)); }
        catch (IOException) { return 0; }
    }

    private static StubArtifact NewArtifact(int size) => new(RandomNumberGenerator.GetBytes(size));

    /// <summary>Starts the agent and has it install <paramref name="version"/> genuinely (campaign camp-1), so an attack has something to leave in place.</summary>
    private static async Task<ChildProcess> InstallFirstAsync(StubExecutor node, AgentUnderTest setup, string version)
    {
        node.Assign(AgentUnderTest.DefaultServerId, "camp-1", version: version);
        var agent = setup.Start();
        await node.WaitForPhaseAsync("complete");
        return agent;
    }

    private static async Task<string> RefusedAsync(StubExecutor node, string campaign)
    {
        await node.WaitForAsync(r => r.Accepted && r.Report.CampaignId == campaign && r.Report.Phase == "rolled-back", $"{campaign} to end rolled back", TimeSpan.FromSeconds(60));
        return node.Accepted.Single(r => r.Report.CampaignId == campaign && r.Report.Phase == "failed").Report.Detail!;
    }

    private static void AssertPreviousVersionStays(StubExecutor node, AgentUnderTest setup, string previous)
    {
        var attack = node.Accepted.Where(r => r.Report.CampaignId == "camp-2").ToArray();
        Assert.DoesNotContain(attack, r => r.Report.Phase is "applying" or "complete");
        Assert.Equal("nothing was applied: nothing to undo", attack[^1].Report.Detail);
        Assert.All(attack, r => Assert.Equal(previous, r.Report.Version));
        Assert.Equal(["pre-check", "apply", "smoke-test", "pre-check"], setup.HookCalls().Select(c => c[0]));
    }
}
