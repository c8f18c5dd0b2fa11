using System.Text.Json;
using Lunar.Dtn.Security;
using Lunar.Dtn.Security.Tls;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Hosting;

/// <summary>
/// <c>constellation dev</c>, <c>add</c>, <c>revoke</c>, <c>renew</c> and <c>show</c> as real processes: every kind of
/// principal (node, approver, operator, agent) gets a certificate of the constellation's CA, and each change is the next
/// version, signed by the root, that chains from the last; what it says is what the trust store then decides.
/// </summary>
public sealed class ConstellationCliTests : IDisposable
{
    private readonly TempDir _dir = new("lunar-constellation-cli");

    public ConstellationCliTests() => TestCredentials.Create(_dir.Path, ["earth", "moon"], agents: ["srv-001"]);

    public void Dispose() => _dir.Dispose();

    private string FilePath => _dir.Sub(DevConstellation.FileName);

    private static async Task<(int Code, IReadOnlyList<string> Output)> RunAsync(params string[] args)
    {
        using var process = ChildProcess.Start("Lunar.Dtn.EarthNode", args);
        var code = await process.WaitForExitAsync(string.Join(' ', args), TimeSpan.FromSeconds(60));
        return (code, process.Seen);
    }

    private Task<(int Code, IReadOnlyList<string> Output)> NextAsync(string verb, params string[] args) =>
        RunAsync(["constellation", verb, "--constellation", FilePath, "--root-key", _dir.Sub("root.key"), .. args]);

    /// <summary>Who the trust store of <paramref name="c"/> takes the holder of P.pem in <paramref name="dir"/> to be, or why not.</summary>
    private static CallerLookup Authenticate(Constellation c, string dir, string id, DateTimeOffset? at = null)
    {
        using var certificate = CertificateFiles.Load(CertificateFiles.CombinedPath(dir, id));
        return c.ToTrustStore().Authenticate(certificate, at ?? DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Dev_WithOperatorsAndAgents_WritesEveryonesCredentials_ThatTheTrustStoreAccepts()
    {
        using var dir = new TempDir();
        var (code, output) = await RunAsync("constellation", "dev", "--out", dir.Path, "--nodes", "earth,moon", "--approvers", "alice:flight-director",
            "--operators", "carol:operator,vic:viewer,ada:admin", "--agents", "srv-00001,srv-00002");

        Assert.True(code == 0, string.Join("\n", output));
        var c = Constellation.Load(dir.Sub(DevConstellation.FileName));
        Assert.Equal([("carol", "operator"), ("vic", "viewer"), ("ada", "admin")], c.Operators!.Select(o => (o.Id, o.Role)));
        Assert.Equal(["srv-00001", "srv-00002"], c.Agents!.Select(a => a.Id));
        foreach (var id in new[] { "earth", "alice", "carol", "vic", "ada", "srv-00001", "srv-00002" })
            foreach (var ext in new[] { ".crt", ".key.pem", ".pem", ".p12" })
                Assert.True(File.Exists(dir.Sub(id + ext)), id + ext);
        Assert.True(File.Exists(dir.Sub("srv-00002.passkey")));
        if (!OperatingSystem.IsWindows()) Assert.Equal(AtomicFileModes.Private, File.GetUnixFileMode(dir.Sub("carol.key.pem")));
        Assert.Equal(("carol", PrincipalKind.Operator, "operator"), Who(Authenticate(c, dir.Path, "carol")));
        Assert.Equal(("srv-00002", PrincipalKind.Agent, "agent"), Who(Authenticate(c, dir.Path, "srv-00002")));
    }

    [Fact]
    public async Task Dev_AgentsFile_OneServerIdALine_IssuesOneCertificateEach_AndShowListsOperatorsAndAgents()
    {
        using var dir = new TempDir();
        var list = dir.Sub("servers.txt");
        File.WriteAllLines(list, ["# the Shackleton racks", "srv-00001", "", "srv-00002", "srv-00003"]);
        var (code, output) = await RunAsync("constellation", "dev", "--out", dir.Sub("c"), "--nodes", "moon", "--operators", "vic:viewer", "--agents-file", list);
        Assert.True(code == 0, string.Join("\n", output));
        Assert.Contains(output, l => l.Contains("3 agents", StringComparison.Ordinal));
        Assert.Equal(["srv-00001", "srv-00002", "srv-00003"], Constellation.Load(Path.Combine(dir.Sub("c"), DevConstellation.FileName)).Agents!.Select(a => a.Id));

        var (shown, lines) = await RunAsync("constellation", "show", Path.Combine(dir.Sub("c"), DevConstellation.FileName));
        Assert.Equal(0, shown);
        Assert.Contains(lines, l => l.StartsWith("operator  vic ", StringComparison.Ordinal) && l.Contains("viewer", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => l.StartsWith("agent     srv-0000", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("ca ", StringComparison.Ordinal) && l.Contains("Lunar.Dtn development CA", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--operators", "carol:root", "the role must be one of viewer, operator, admin")]
    [InlineData("--operators", "carol", "is not name:role")]
    [InlineData("--agents", "srv-1,srv-1", "agent 'srv-1' is listed twice")]
    [InlineData("--agents", "../etc", "may hold only letters")]
    public async Task Dev_BadList_ExitsTwoSayingWhy_AndWritesNothing(string option, string value, string why)
    {
        using var dir = new TempDir();
        var (code, output) = await RunAsync("constellation", "dev", "--out", dir.Sub("c"), "--nodes", "moon", option, value);

        Assert.Equal(2, code);
        Assert.Contains(output, l => l.Contains(why, StringComparison.Ordinal));
        Assert.False(Directory.Exists(dir.Sub("c")));
    }

    [Fact]
    public async Task Add_ApproverFromTheirPublicFile_WritesVersion2SignedByTheRoot_WithACertificateForThem()
    {
        var v1 = Constellation.Load(FilePath);
        using (var carol = NodeKey.Generate("carol"))
            File.WriteAllText(_dir.Sub("carol.pub.json"), JsonSerializer.Serialize(new Principal("carol", "flight-director", carol.PublicKeyHex)));

        var (code, output) = await NextAsync("add", "--principal", _dir.Sub("carol.pub.json"));

        Assert.True(code == 0, string.Join("\n", output));
        Assert.Contains(output, l => l.Contains("constellation version 2", StringComparison.Ordinal) && l.Contains("carol", StringComparison.Ordinal));
        var v2 = Constellation.Load(FilePath);
        Assert.Equal(2, v2.Version);
        Assert.Contains(v2.Approvers, a => a is { Id: "carol", Role: "flight-director" });
        Assert.Null(v2.CheckSuccessorOf(v1));
        Assert.Equal(("carol", PrincipalKind.Approver, "flight-director"), Who(Authenticate(v2, _dir.Path, "carol")));
    }

    [Fact]
    public async Task Add_OperatorAndAgents_IssuesTheirCertificatesWithTheCaKeyBesideTheRoot_ThatVersion2Accepts()
    {
        var files = _dir.Sub("issued");
        var list = _dir.Sub("new-servers.txt");
        File.WriteAllLines(list, ["srv-031", "srv-032"]);

        var (code, output) = await NextAsync("add", "--operator", "carol:operator", "--files", files);
        Assert.True(code == 0, string.Join("\n", output));
        (code, output) = await NextAsync("add", "--agents-file", list, "--files", files);
        Assert.True(code == 0, string.Join("\n", output));

        var v3 = Constellation.Load(FilePath);
        Assert.Equal(3, v3.Version);
        Assert.Equal(("carol", PrincipalKind.Operator, "operator"), Who(Authenticate(v3, files, "carol")));
        Assert.Equal(("srv-032", PrincipalKind.Agent, "agent"), Who(Authenticate(v3, files, "srv-032")));
        Assert.True(File.Exists(Path.Combine(files, "srv-031.passkey")));
        Assert.True(TrackerPasskey.Matches(File.ReadAllText(Path.Combine(files, "srv-031.passkey")), v3.Agents!.Single(a => a.Id == "srv-031").Passkey));
        Assert.Equal(("vic", PrincipalKind.Operator, "viewer"), Who(Authenticate(v3, _dir.Path, "vic"))); // everyone else unchanged
    }

    [Fact]
    public async Task Add_AnAgentAgain_GivesItANewCertificate_AndRevokesTheOld()
    {
        var old = _dir.Sub("old");
        Directory.CreateDirectory(old);
        foreach (var f in Directory.GetFiles(_dir.Path, "srv-001.*")) File.Copy(f, Path.Combine(old, Path.GetFileName(f)));

        var (code, output) = await NextAsync("add", "--agents", "srv-001");

        Assert.True(code == 0, string.Join("\n", output));
        var v2 = Constellation.Load(FilePath);
        Assert.True(Authenticate(v2, _dir.Path, "srv-001").Ok);
        Assert.Equal("agent 'srv-001' is revoked in constellation version 2", Authenticate(v2, old, "srv-001").Problem);
    }

    [Fact]
    public async Task Add_WithTheCaKeyOfAnotherConstellation_ExitsTwo_AndLeavesTheFileAlone()
    {
        using var other = new TempDir();
        DevConstellation.Create(other.Path, ["earth"], []);
        var before = File.ReadAllText(FilePath);

        var (code, output) = await NextAsync("add", "--operator", "carol:operator", "--ca-key", other.Sub(DevConstellation.AuthorityKeyFile));

        Assert.Equal(2, code);
        Assert.Contains(output, l => l.Contains("is not the certificate authority constellation version 1 names", StringComparison.Ordinal));
        Assert.Equal(before, File.ReadAllText(FilePath));
    }

    [Fact]
    public async Task Revoke_Approver_RevokesTheirEd25519KeyAndCertificate_AndTheTrustStoreRefusesBoth()
    {
        var v1 = Constellation.Load(FilePath);

        var (code, output) = await NextAsync("revoke", "--id", "alice");

        Assert.True(code == 0, string.Join("\n", output));
        var v2 = Constellation.Load(FilePath);
        Assert.Null(v2.CheckSuccessorOf(v1));
        var alice = v1.Approvers.Single(a => a.Id == "alice");
        Assert.Equal([alice.PublicKey, alice.Tls!], v2.RevokedKeys);
        Assert.Equal("approver 'alice' signs with a key revoked in constellation version 2", v2.ToTrustStore().ApproverKey("alice").Problem);
        Assert.Equal("approver 'alice' is revoked in constellation version 2", Authenticate(v2, _dir.Path, "alice").Problem);
    }

    [Theory]
    [InlineData("oscar", "operator")]
    [InlineData("srv-001", "agent")]
    public async Task Revoke_OperatorOrAgent_ListsItsCertificatesFingerprint_AndTheTrustStoreRefusesIt(string id, string kind)
    {
        Assert.True(Authenticate(Constellation.Load(FilePath), _dir.Path, id).Ok);

        var (code, output) = await NextAsync("revoke", "--id", id);

        Assert.True(code == 0, string.Join("\n", output));
        var v2 = Constellation.Load(FilePath);
        Assert.Contains(v2.AllPrincipals.Single(p => p.Id == id).Tls!, v2.RevokedKeys);
        Assert.Equal($"{kind} '{id}' is revoked in constellation version 2", Authenticate(v2, _dir.Path, id).Problem);
        Assert.True(Authenticate(v2, _dir.Path, "vic").Ok);
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
        var (code, output) = await NextAsync("revoke", "--id", "mallory");

        Assert.Equal(2, code);
        Assert.Contains(output, l => l.Contains("no node, approver, operator or agent 'mallory'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Renew_OnePrincipal_MovesItsTlsNotAfter_SoTheSameCertificateActsPastTheOldEnd()
    {
        var v1 = Constellation.Load(FilePath);
        var oldEnd = v1.Operators!.Single(o => o.Id == "vic").TlsNotAfter!.Value;
        var afterOldEnd = oldEnd.AddDays(30);
        Assert.Contains("expired", Authenticate(v1, _dir.Path, "vic", afterOldEnd).Problem, StringComparison.Ordinal);

        var until = oldEnd.AddDays(365).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (code, output) = await NextAsync("renew", "--id", "vic", "--until", until);

        Assert.True(code == 0, string.Join("\n", output));
        var v2 = Constellation.Load(FilePath);
        Assert.Null(v2.CheckSuccessorOf(v1));
        Assert.Equal(until + "T23:59:59", v2.Operators!.Single(o => o.Id == "vic").TlsNotAfter!.Value.UtcDateTime.ToString("s", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(Authenticate(v2, _dir.Path, "vic", afterOldEnd).Ok);
        Assert.Equal(oldEnd, v2.Operators!.Single(o => o.Id == "oscar").TlsNotAfter); // only vic
    }

    [Fact]
    public async Task Renew_All_MovesEveryPrincipalButTheRevoked()
    {
        Assert.Equal(0, (await NextAsync("revoke", "--id", "oscar")).Code);
        var v2 = Constellation.Load(FilePath);

        var (code, output) = await NextAsync("renew", "--all", "--until", "2099-01-01T00:00:00Z");

        Assert.True(code == 0, string.Join("\n", output));
        var v3 = Constellation.Load(FilePath);
        var end = DateTimeOffset.Parse("2099-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(v3.AllPrincipals.Where(p => p.Id != "oscar"), p => Assert.Equal(end, p.TlsNotAfter));
        Assert.Equal(v2.Operators!.Single(o => o.Id == "oscar").TlsNotAfter, v3.Operators!.Single(o => o.Id == "oscar").TlsNotAfter);
    }

    [Theory]
    [InlineData("--id", "vic", "2001-01-01", "is not in the future")]
    [InlineData("--id", "vic", "soon", "is not a date")]
    [InlineData("--id", "mallory", "2099-01-01", "no node, approver, operator or agent 'mallory'")]
    public async Task Renew_BadInput_ExitsTwoSayingWhy(string option, string value, string until, string why)
    {
        var before = File.ReadAllText(FilePath);

        var (code, output) = await NextAsync("renew", option, value, "--until", until);

        Assert.Equal(2, code);
        Assert.Contains(output, l => l.Contains(why, StringComparison.Ordinal));
        Assert.Equal(before, File.ReadAllText(FilePath));
    }

    private static (string, PrincipalKind, string) Who(CallerLookup lookup)
    {
        Assert.True(lookup.Ok, lookup.Problem);
        return (lookup.Caller!.Id, lookup.Caller.Kind, lookup.Caller.Role);
    }

    private static class AtomicFileModes
    {
        public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    }
}
