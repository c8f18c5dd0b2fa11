using Lunar.Dtn.BundleFiles;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>
/// Every way a stick can be bad: the import exits 2 with one line saying why, applies nothing, and the Tier 1 node's
/// store is unchanged (compared before and after through the store itself).
/// </summary>
public sealed class BadBundleFileTests : IDisposable
{
    private const string Node = "tier1-alpha";
    private readonly UsbWorld _world = new();
    private readonly string _good;

    public BadBundleFileTests()
    {
        _good = _world.CampaignOnMoonStickForTier1();
        _world.Init(Node);
    }

    [Fact]
    public void Import_TruncatedFile_ExitsTwoAndChangesNothing()
    {
        var bytes = File.ReadAllBytes(_good);
        AssertRefused(Write("truncated.ldbf", bytes[..(bytes.Length / 2)]), "truncated");
    }

    [Fact]
    public void Import_FileCutJustBeforeItsSignatureEnds_ExitsTwoAndChangesNothing()
    {
        var bytes = File.ReadAllBytes(_good);
        AssertRefused(Write("cut.ldbf", bytes[..^1]), "truncated");
    }

    [Fact]
    public void Import_FlippedByte_ExitsTwoAndChangesNothing()
    {
        var bytes = File.ReadAllBytes(_good);
        bytes[bytes.Length * 2 / 3] ^= 0x10;
        AssertRefused(Write("flipped.ldbf", bytes), "whole-file signature does not match moon's key");
    }

    [Fact]
    public void Import_BadWholeFileSignature_ExitsTwoAndChangesNothing()
    {
        // A valid signature, but by another node of the constellation: not the source's.
        using var beta = NodeKey.Load(Path.Combine(_world.ConstellationDir, "tier1-beta.key"));
        AssertRefused(Write("bad-signature.ldbf", UsbWorld.Resign(File.ReadAllBytes(_good), beta)), "whole-file signature does not match moon's key");
    }

    [Fact]
    public void Import_UnknownSigner_ExitsTwoAndChangesNothing()
    {
        using var mallory = NodeKey.Generate("mallory");
        var file = Parse(File.ReadAllBytes(_good));
        var forged = new BundleFile(file.Manifest with { Source = "mallory" }, file.Sections).Seal(mallory);
        AssertRefused(Write("unknown-signer.ldbf", forged), "signed by 'mallory': unknown node 'mallory'");
    }

    [Fact]
    public void Import_FileAddressedToAnotherNode_ExitsTwoAndChangesNothing()
    {
        var forBeta = _world.Stick("moon", "tier1-beta", "moon-to-beta.ldbf");
        AssertRefused(forBeta, "addressed to 'tier1-beta', not to this node 'tier1-alpha'");
    }

    [Fact]
    public void Import_BundleInsideAddressedToAnotherNode_ExitsTwoAndChangesNothing()
    {
        // The Moon's own valid file for tier1-alpha, but carrying bundles it sealed for tier1-beta.
        var forBeta = Parse(File.ReadAllBytes(_world.Stick("moon", "tier1-beta", "moon-to-beta.ldbf")));
        using var moon = NodeKey.Load(Path.Combine(_world.ConstellationDir, "moon.key"));
        var rewrapped = new BundleFile(forBeta.Manifest with { Destination = Node }, forBeta.Sections).Seal(moon);
        AssertRefused(Write("rewrapped.ldbf", rewrapped), "is addressed to 'tier1-beta', but the file to 'tier1-alpha'");
    }

    [Fact]
    public void Import_WrongFormatVersion_ExitsTwoAndChangesNothing()
    {
        var bytes = File.ReadAllBytes(_good);
        bytes[4] = 2;
        using var moon = NodeKey.Load(Path.Combine(_world.ConstellationDir, "moon.key"));
        AssertRefused(Write("version-2.ldbf", UsbWorld.Resign(bytes, moon)), "bundle file format version 2; this node reads format version 1");
    }

    [Fact]
    public void Import_EmptyFile_ExitsTwoAndChangesNothing() => AssertRefused(Write("empty.ldbf", []), "the file is empty");

    [Fact]
    public void Import_Directory_ExitsTwoAndChangesNothing()
    {
        var dir = _world.File("a-folder.ldbf");
        Directory.CreateDirectory(dir);
        AssertRefused(dir, "it is a directory, not a bundle file");
    }

    [Fact]
    public void Import_NotABundleFile_ExitsTwoAndChangesNothing() =>
        AssertRefused(Write("notes.txt", "shopping list: oxygen, coffee\n"u8.ToArray()), "not a Lunar.Dtn bundle file");

    [Fact]
    public void Import_ForgedEarthIntervalInsideAValidMoonFile_ExitsTwoAndChangesNothing()
    {
        // The Moon (or whoever holds its key) alters Earth's signed interval and seals everything again with its own key:
        // the file and the bundle verify, but the Tier 1 node checks Earth's signature itself.
        using var moon = NodeKey.Load(Path.Combine(_world.ConstellationDir, "moon.key"));
        var trust = Constellation.Load(_world.ConstellationFile).ToTrustStore();
        var file = Parse(File.ReadAllBytes(_good));
        var sections = file.Sections.ToArray();
        var described = file.Manifest.Sections.ToArray();
        var index = Array.FindIndex(described, s => s.Intervals.Any(i => i.StartsWith("earth/control", StringComparison.Ordinal)));
        Assert.True(index >= 0, "the moon's stick carries earth's control interval");
        var opened = BundleCodec.Open(sections[index], trust, Node, DateTimeOffset.UtcNow);
        var payload = Serialization.Deserialize<DeltaPayload>(opened.Bundle!.Payload);
        var intervals = payload.Intervals.Select(i => i.Stream.Origin == "earth" ? i with { Signature = Flip(i.Signature) } : i).ToArray();
        sections[index] = BundleCodec.Seal(opened.Bundle.Header, Serialization.Serialize(new DeltaPayload(intervals, payload.SenderHas)), moon);
        described[index] = described[index] with { Length = sections[index].Length, Sha256 = BundleFile.Hash(sections[index]) };
        var forged = new BundleFile(file.Manifest with { Sections = described }, sections).Seal(moon);
        AssertRefused(Write("forged-earth.ldbf", forged), "does not carry a valid signature of earth");
    }

    [Theory]
    [InlineData(4096, "does not hash to its signed SHA-256")]
    [InlineData(5000, "is 5000 bytes, not the signed 4096")]
    public void Import_ArtifactContentThatIsNotTheSignedArtifact_ExitsTwoAndChangesNothing(int size, string reason)
    {
        // Whoever holds the Moon's key adds "the artifact" to a valid stick: other software (or endless data) under a
        // signed artifact's name. The Tier 1 node checks it against Earth's signed metadata, not against the file.
        using var moon = NodeKey.Load(Path.Combine(_world.ConstellationDir, "moon.key"));
        var file = Parse(File.ReadAllBytes(_good));
        var content = new byte[size];
        new Random(7).NextBytes(content);
        var section = new BundleFileSection(BundleFileSectionKind.ArtifactContent, content.Length, BundleFile.Hash(content), null, 0, [], UsbWorld.ArtifactSha);
        var forged = new BundleFile(file.Manifest with { Sections = [.. file.Manifest.Sections, section] }, [.. file.Sections, content]).Seal(moon);
        AssertRefused(Write($"foreign-content-{size}.ldbf", forged), reason);
        Assert.False(File.Exists(Path.Combine(_world.DataDir(Node), "artifacts", UsbWorld.ArtifactSha)), "nothing may enter the mirror");
    }

    [Fact]
    public void Inspect_TamperedFile_ExitsTwoWithOneLine()
    {
        var bytes = File.ReadAllBytes(_good);
        bytes[bytes.Length / 2] ^= 0x01;
        var run = _world.Inspect(Write("tampered.ldbf", bytes));
        Assert.True(run.Code == 2, run.ToString());
        Assert.Single(run.ErrLines);
    }

    private void AssertRefused(string path, string reason)
    {
        var before = DataFolderDigest.Of(_world.DataDir(Node));
        var run = _world.Import(Node, path);
        Assert.True(run.Code == 2, $"expected exit 2: {run}");
        var line = Assert.Single(run.ErrLines);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", line, StringComparison.Ordinal);
        Assert.DoesNotContain("applied ", run.Out, StringComparison.Ordinal);
        Assert.Equal(before, DataFolderDigest.Of(_world.DataDir(Node)));
        // And the good file still applies afterwards: the refusal left nothing behind that gets in its way.
        Assert.Equal(0, _world.Import(Node, _good).Code);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _world.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static BundleFile Parse(byte[] bytes) => BundleFileReader.Read(bytes, null, null, DateTimeOffset.UnixEpoch).File!;

    private static byte[] Flip(byte[] signature)
    {
        var copy = (byte[])signature.Clone();
        copy[0] ^= 0x01;
        return copy;
    }

    public void Dispose() => _world.Dispose();
}
