using System.Text.Json;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Hosting;

/// <summary><c>constellation add</c> and <c>revoke</c> as real processes: each writes the next version, signed by the root, that chains from the last.</summary>
public sealed class ConstellationCliTests : IDisposable
{
    private readonly TempDir _dir = new("lunar-constellation-cli");

    public ConstellationCliTests() => DevConstellation.Create(_dir.Path, ["earth", "moon"], [("alice", "flight-director"), ("bob", "base-lead")]);

    public void Dispose() => _dir.Dispose();

    private string FilePath => _dir.Sub(DevConstellation.FileName);

    private static async Task<(int Code, IReadOnlyList<string> Output)> RunAsync(params string[] args)
    {
        using var process = ChildProcess.Start("Lunar.Dtn.EarthNode", args);
        var code = await process.WaitForExitAsync(string.Join(' ', args));
        return (code, process.Seen);
    }

    [Fact]
    public async Task Add_ApproverFromTheirPublicFile_WritesVersion2SignedByTheRoot_ThatChainsFromVersion1()
    {
        var v1 = Constellation.Load(FilePath);
        using (var carol = NodeKey.Generate("carol"))
            File.WriteAllText(_dir.Sub("carol.pub.json"), JsonSerializer.Serialize(new Principal("carol", "flight-director", carol.PublicKeyHex)));

        var (code, output) = await RunAsync("constellation", "add", "--constellation", FilePath, "--root-key", _dir.Sub("root.key"), "--principal", _dir.Sub("carol.pub.json"));

        Assert.True(code == 0, string.Join("\n", output));
        Assert.Contains(output, l => l.Contains("constellation version 2", StringComparison.Ordinal) && l.Contains("carol", StringComparison.Ordinal));
        var v2 = Constellation.Load(FilePath);
        Assert.Equal(2, v2.Version);
        Assert.Contains(v2.Approvers, a => a is { Id: "carol", Role: "flight-director" });
        Assert.Null(v2.CheckSuccessorOf(v1));
    }

    [Fact]
    public async Task Revoke_Approver_WritesVersion2WithTheirKeyRevoked_AndTheTrustStoreRefusesThem()
    {
        var v1 = Constellation.Load(FilePath);

        var (code, output) = await RunAsync("constellation", "revoke", "--constellation", FilePath, "--root-key", _dir.Sub("root.key"), "--id", "alice");

        Assert.True(code == 0, string.Join("\n", output));
        var v2 = Constellation.Load(FilePath);
        Assert.Null(v2.CheckSuccessorOf(v1));
        Assert.Equal([v1.Approvers.Single(a => a.Id == "alice").PublicKey], v2.RevokedKeys);
        Assert.Equal("approver 'alice' signs with a key revoked in constellation version 2", v2.ToTrustStore().ApproverKey("alice").Problem);
    }

    [Fact]
    public async Task Revoke_WithANodeKeyInsteadOfTheRoot_ExitsTwo_AndLeavesTheFileAlone()
    {
        var before = File.ReadAllText(FilePath);

        var (code, output) = await RunAsync("constellation", "revoke", "--constellation", FilePath, "--root-key", _dir.Sub("earth.key"), "--id", "alice");

        Assert.Equal(2, code);
        Assert.Contains(output, l => l.Contains("only the current root signs the next version", StringComparison.Ordinal));
        Assert.Equal(before, File.ReadAllText(FilePath));
    }

    [Fact]
    public async Task Revoke_UnknownId_ExitsTwoNamingIt()
    {
        var (code, output) = await RunAsync("constellation", "revoke", "--constellation", FilePath, "--root-key", _dir.Sub("root.key"), "--id", "mallory");

        Assert.Equal(2, code);
        Assert.Contains(output, l => l.Contains("no node or approver 'mallory'", StringComparison.Ordinal));
    }
}
