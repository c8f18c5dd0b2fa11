using System.Security.Cryptography;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>
/// Stopped nodes' data folders on disk (LiteDB) for earth, moon, tier1-alpha and tier1-beta, one real constellation
/// with two approvers, and the bundle verbs run in-process against them, as an operator runs them against a stopped node.
/// Earth and the Moon have no link here: files carry everything, so every hop is a stick.
/// </summary>
public sealed class UsbWorld : IDisposable
{
    public const string CampaignId = "c-tier1";
    public const string ArtifactSha = "a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778";

    private static readonly Dictionary<string, string> FilePeers = new()
    {
        ["earth"] = "moon",
        ["moon"] = "earth,tier1-alpha,tier1-beta",
        ["tier1-alpha"] = "moon",
        ["tier1-beta"] = "moon",
    };

    private readonly TempDir _dir = new("lunar-usb");

    public UsbWorld() =>
        TestCredentials.Create(ConstellationDir, ["earth", "moon", "tier1-alpha", "tier1-beta"], [("alice", "flight-director"), ("bob", "base-lead")]);

    public string ConstellationDir => _dir.Sub("c");
    public string ConstellationFile => Path.Combine(ConstellationDir, "constellation.json");

    public string DataDir(string id) => _dir.Sub(id);

    public string File(string name) => _dir.Sub(name);

    public string[] Tokens(string id, string? dataDir = null) =>
    [
        $"--Node:Id={id}", $"--Node:DataDir={dataDir ?? DataDir(id)}", $"--Node:Constellation={ConstellationFile}",
        $"--Node:KeyFile={Path.Combine(ConstellationDir, id + ".key")}", $"--Node:FilePeers={FilePeers[id]}",
    ];

    /// <summary>Opens a node's data folder (dispose it before running a verb on the same folder).</summary>
    public NodeRuntime Open(string id) =>
        NodeRuntime.Open(new NodeOptions
        {
            Id = id, DataDir = DataDir(id), Constellation = ConstellationFile, KeyFile = Path.Combine(ConstellationDir, id + ".key"), FilePeers = FilePeers[id],
        }, [], TimeProvider.System, NullLogger.Instance);

    /// <summary>Creates the node's store (as init would), so a digest can be taken before its first import.</summary>
    public void Init(string id) => Open(id).Dispose();

    public VerbRun Export(string id, string? forNode, string file, string? since = null)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = BundleFileVerbs.ExportAsync(Tokens(id), file, forNode, since, null, o, e, BundleFileProgress.Plain(o), CancellationToken.None).GetAwaiter().GetResult();
        return new VerbRun(code, o.ToString(), e.ToString());
    }

    public VerbRun Import(string id, string file) => ImportInto(id, DataDir(id), file);

    /// <summary>Imports into another data folder of node <paramref name="id"/> (a second copy of it).</summary>
    public VerbRun ImportInto(string id, string dataDir, string file)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = BundleFileVerbs.ImportAsync(Tokens(id, dataDir), file, null, o, e, BundleFileProgress.Plain(o), CancellationToken.None).GetAwaiter().GetResult();
        return new VerbRun(code, o.ToString(), e.ToString());
    }

    public VerbRun Inspect(string file, bool withTrust = true)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = BundleFileVerbs.Inspect(withTrust ? [$"--Node:Constellation={ConstellationFile}"] : [], file, false, o, e);
        return new VerbRun(code, o.ToString(), e.ToString());
    }

    /// <summary>Exports and asserts success.</summary>
    public string Stick(string from, string to, string name)
    {
        var path = File(name);
        var run = Export(from, to, path);
        Assert.True(run.Code == 0, $"export {from} -> {to}: {run}");
        return path;
    }

    /// <summary>Imports and asserts success.</summary>
    public VerbRun Carry(string to, string path)
    {
        var run = Import(to, path);
        Assert.True(run.Code == 0, $"import on {to}: {run}");
        return run;
    }

    /// <summary>
    /// On Earth: an artifact and a campaign for Tier 1 servers, signed by <paramref name="approvers"/> (alice the
    /// flight director, bob the base lead), then started.
    /// </summary>
    public void EarthPlansTier1Campaign(params string[] approvers) => EarthPlansCampaign([1], approvers);

    /// <summary>Like <see cref="EarthPlansTier1Campaign"/>, for the tiers given (empty: every server).</summary>
    public void EarthPlansCampaign(int[] tiers, params string[] approvers)
    {
        using var earth = Open("earth");
        var r = earth.Replica;
        r.RegisterArtifact(new ArtifactRecord(ArtifactSha, "lunar-os", "3.1.0", ArtifactSha, 4096, "earth", 1_800_000_000_000), "mission-control");
        r.DefineCampaign(CampaignId, "mission-control", ctx => new CampaignDefinition
        {
            Name = new("tier1 kernel", ctx.Stamp, ctx.ReplicaId),
            ArtifactId = new(ArtifactSha, ctx.Stamp, ctx.ReplicaId),
            Selector = new(new CampaignSelector([], [], tiers), ctx.Stamp, ctx.ReplicaId),
            BatchSize = new(10, ctx.Stamp, ctx.ReplicaId),
            ConcurrencyLimit = new(10, ctx.Stamp, ctx.ReplicaId),
            ApprovalRequired = new(true, ctx.Stamp, ctx.ReplicaId),
            CreatedBy = new("mission-control", ctx.Stamp, ctx.ReplicaId),
        });
        foreach (var approver in approvers) r.AddApproval(Sign(r, approver));
        r.Control(CampaignId, CampaignControl.Run, "mission-control");
    }

    public ApprovalRecord Sign(Replica on, string approver)
    {
        var role = approver == "alice" ? "flight-director" : "base-lead";
        var hash = on.Read((s, _) => s.Campaigns[CampaignId].Definition!.ContentHash(CampaignId));
        using var key = NodeKey.Load(Path.Combine(ConstellationDir, approver + ".key"));
        const long at = 1_800_000_100_000;
        var signature = key.Sign(ApprovalRecord.SigningBytes(CampaignId, hash, ApprovalDecision.Approve, approver, role, at));
        return new ApprovalRecord(ApprovalRecord.IdFor(signature), CampaignId, hash, ApprovalDecision.Approve, approver, role, at, signature);
    }

    /// <summary>Earth plans an approved campaign; sticks carry it Earth → Moon → tier1-alpha. Returns the Moon's stick.</summary>
    public string CampaignOnMoonStickForTier1()
    {
        EarthPlansTier1Campaign("alice", "bob");
        Carry("moon", Stick("earth", "moon", "earth-to-moon.ldbf"));
        return Stick("moon", "tier1-alpha", "moon-to-tier1.ldbf");
    }

    public static byte[] Resign(byte[] file, NodeKey key)
    {
        var copy = (byte[])file.Clone();
        key.Sign(copy.AsSpan(0, copy.Length - 64)).CopyTo(copy.AsSpan(copy.Length - 64));
        return copy;
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public void Dispose() => _dir.Dispose();
}
