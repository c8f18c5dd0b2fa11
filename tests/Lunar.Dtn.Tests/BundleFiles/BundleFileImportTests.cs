using Lunar.Dtn.BundleFiles;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>Sticks carried Earth → Moon → Tier 1 and back, on stopped nodes' data folders.</summary>
public sealed class BundleFileImportTests : IDisposable
{
    private readonly UsbWorld _world = new();

    [Fact]
    public void Import_SameFileTwice_SecondTimeChangesNothingAndSaysSo()
    {
        var stick = _world.CampaignOnMoonStickForTier1();
        var first = _world.Carry("tier1-alpha", stick);
        Assert.Contains("applied ", first.Out, StringComparison.Ordinal);
        var after = DataFolderDigest.Of(_world.DataDir("tier1-alpha"));

        var second = _world.Carry("tier1-alpha", stick);
        Assert.Contains("nothing new from moon", second.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\napplied ", "\n" + second.Out, StringComparison.Ordinal);
        Assert.Equal(after, DataFolderDigest.Of(_world.DataDir("tier1-alpha")));
    }

    [Fact]
    public void Import_OlderFileAfterANewerOne_ChangesNothingAndSaysSo()
    {
        var older = _world.CampaignOnMoonStickForTier1();
        // Later, Earth pauses the campaign; a newer stick carries everything the older one did, and the pause.
        using (var earth = _world.Open("earth")) earth.Replica.Control(UsbWorld.CampaignId, CampaignControl.Pause, "mission-control");
        _world.Carry("moon", _world.Stick("earth", "moon", "earth-to-moon-2.ldbf"));
        var newer = _world.Stick("moon", "tier1-alpha", "moon-to-tier1-2.ldbf");

        _world.Carry("tier1-alpha", newer);
        var after = DataFolderDigest.Of(_world.DataDir("tier1-alpha"));
        var stale = _world.Carry("tier1-alpha", older);
        Assert.Contains("nothing new from moon", stale.Out, StringComparison.Ordinal);
        Assert.Equal(after, DataFolderDigest.Of(_world.DataDir("tier1-alpha")));
        using var tier1 = _world.Open("tier1-alpha");
        Assert.Equal(CampaignControl.Pause, tier1.Replica.Read((s, _) => s.Campaigns[UsbWorld.CampaignId].EffectiveControl));
    }

    [Fact]
    public void Import_EarthsApprovalsThroughTheMoonsStick_AreVerifiedAsEarthsOnTier1()
    {
        var stick = _world.CampaignOnMoonStickForTier1();
        var bytes = File.ReadAllBytes(stick);
        var trust = Constellation.Load(_world.ConstellationFile).ToTrustStore();
        var file = BundleFileReader.Read(bytes, trust, "tier1-alpha", DateTimeOffset.UtcNow);
        Assert.True(file.Ok, file.Rejection?.Reason);
        Assert.Equal("moon", file.File!.Manifest.Source);
        // Bundles sealed by the moon; the intervals of earth's control stream inside still signed by earth.
        var earthIntervals = file.File.Sections
            .Where(s => BundleCodec.PeekHeader(s)!.Kind == BundleKind.Deltas)
            .SelectMany(s => BundleForge.IntervalsOf(s, trust, "tier1-alpha", DateTimeOffset.UtcNow))
            .Where(i => i.Stream == new StreamId("earth", Channel.Control))
            .ToArray();
        Assert.NotEmpty(earthIntervals);
        using (var earth = NodeKey.Load(Path.Combine(_world.ConstellationDir, "earth.key")))
        using (var moon = NodeKey.Load(Path.Combine(_world.ConstellationDir, "moon.key")))
            foreach (var i in earthIntervals)
            {
                Assert.True(i.VerifyWith(earth.PublicKey), $"interval {BundlePeek.Describe(i)} must verify with earth's key");
                Assert.False(i.VerifyWith(moon.PublicKey), $"interval {BundlePeek.Describe(i)} must not verify with the moon's key");
            }

        _world.Carry("tier1-alpha", stick);
        using var tier1 = _world.Open("tier1-alpha");
        var quorum = tier1.Replica.Read((s, _) => ApprovalQuorum.Evaluate(s, UsbWorld.CampaignId, tier1.Replica.Trust, QuorumPolicy.Default));
        Assert.True(quorum.Holds, string.Join("; ", quorum.Missing));
        Assert.Equal(["alice", "bob"], quorum.Counted.Select(c => c.ApproverId).Order());
        Assert.True(tier1.Replica.Read((s, _) => s.Artifacts.ContainsKey(UsbWorld.ArtifactSha)), "the artifact's metadata came with the campaign");
    }

    [Fact]
    public void Export_ToANodeThatAcknowledgedByStick_CarriesOnlyWhatItLacks()
    {
        _world.Carry("tier1-alpha", _world.CampaignOnMoonStickForTier1());
        // Tier 1's stick back acknowledges what it holds; the Moon's next stick then brings nothing it already has.
        _world.Carry("moon", _world.Stick("tier1-alpha", "moon", "tier1-to-moon.ldbf"));
        var next = BundleFileReader.Read(File.ReadAllBytes(_world.Stick("moon", "tier1-alpha", "moon-to-tier1-next.ldbf")), null, null, DateTimeOffset.UnixEpoch).File!;
        Assert.Equal(0, next.Manifest.Deltas);
        Assert.Equal([BundleKind.Ack], next.Manifest.Sections.Select(s => s.BundleKind!.Value));

        // With --since the operator asks for everything after a vector instead, e.g. from scratch.
        var path = _world.File("moon-since.ldbf");
        var run = _world.Export("moon", "tier1-alpha", path, since: "{}");
        Assert.True(run.Code == 0, run.ToString());
        Assert.True(BundleFileReader.Read(File.ReadAllBytes(path), null, null, DateTimeOffset.UnixEpoch).File!.Manifest.Deltas > 0);
    }

    [Fact]
    public void Export_WithoutForNode_IsAFileForAnyNode_ThatATier1NodeImports()
    {
        _world.EarthPlansTier1Campaign("alice", "bob");
        _world.Carry("moon", _world.Stick("earth", "moon", "earth-to-moon.ldbf"));
        var path = _world.File("moon-to-all.ldbf");
        var run = _world.Export("moon", null, path);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("from moon for *", run.Out, StringComparison.Ordinal);
        _world.Carry("tier1-beta", path);
        using var beta = _world.Open("tier1-beta");
        Assert.True(beta.Replica.Read((s, _) => s.Campaigns.ContainsKey(UsbWorld.CampaignId)));
    }

    [Fact]
    public void Inspect_Json_GivesTheManifest()
    {
        var stick = _world.CampaignOnMoonStickForTier1();
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, Lunar.Dtn.Hosting.BundleFileVerbs.Inspect([$"--Node:Constellation={_world.ConstellationFile}"], stick, true, o, e));
        var json = System.Text.Json.JsonDocument.Parse(o.ToString()).RootElement;
        Assert.Equal("moon", json.GetProperty("source").GetString());
        Assert.Equal("tier1-alpha", json.GetProperty("destination").GetString());
        Assert.Equal("valid, by moon", json.GetProperty("signature").GetString());
        Assert.Contains(json.GetProperty("sections").EnumerateArray(), s => s.GetProperty("bundleKind").GetString() == "Ack");
        Assert.Contains(json.GetProperty("artifacts").EnumerateArray(), a => a.GetProperty("id").GetString() == UsbWorld.ArtifactSha);
    }

    [Fact]
    public void Export_ForANodeOutsideTheConstellation_IsAUsageError()
    {
        var run = _world.Export("moon", "tier1-alpah", _world.File("typo.ldbf"));
        Assert.Equal(1, run.Code);
        Assert.Contains("'tier1-alpah' cannot receive it: unknown node 'tier1-alpah'", run.ErrLines[^1], StringComparison.Ordinal);
        Assert.False(File.Exists(_world.File("typo.ldbf")));
    }

    [Fact]
    public void Export_BadSinceVector_IsAUsageErrorNamingTheEntry()
    {
        var run = _world.Export("moon", "tier1-alpha", _world.File("x.ldbf"), since: "earth/banana:3");
        Assert.Equal(1, run.Code);
        Assert.Contains("'earth/banana:3' is not origin/channel:seq", Assert.Single(run.ErrLines), StringComparison.Ordinal);
        Assert.False(File.Exists(_world.File("x.ldbf")));
    }

    [Fact]
    public void Import_IntoANeverStartedFolder_InitialisesItFirst()
    {
        var stick = _world.CampaignOnMoonStickForTier1();
        Assert.False(Directory.Exists(_world.DataDir("tier1-alpha")));
        var run = _world.Carry("tier1-alpha", stick);
        Assert.Contains("initialised", run.Out, StringComparison.Ordinal);
        using var tier1 = _world.Open("tier1-alpha");
        Assert.True(tier1.Replica.Read((s, _) => s.Campaigns.ContainsKey(UsbWorld.CampaignId)));
    }

    [Fact]
    public void Inspect_DescribesSourceDestinationIntervalsAndArtifactMetadata()
    {
        var stick = _world.CampaignOnMoonStickForTier1();
        var run = _world.Inspect(stick);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("from moon for tier1-alpha", run.Out, StringComparison.Ordinal);
        Assert.Contains("whole-file signature: valid, by moon", run.Out, StringComparison.Ordinal);
        Assert.Contains("earth/control (0, ", run.Out, StringComparison.Ordinal);
        Assert.Contains("lunar-os 3.1.0, 4096 bytes: content not included", run.Out, StringComparison.Ordinal);
        var unchecked_ = _world.Inspect(stick, withTrust: false);
        Assert.Contains("not checked", unchecked_.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_FolderHeldByARunningNode_IsRefusedPointingAtNodeUrl()
    {
        var stick = _world.CampaignOnMoonStickForTier1();
        using var held = _world.Open("tier1-alpha");
        var run = _world.Import("tier1-alpha", stick);
        Assert.Equal(1, run.Code);
        Assert.Contains("--node URL", Assert.Single(run.ErrLines), StringComparison.Ordinal);
    }

    public void Dispose() => _world.Dispose();
}
