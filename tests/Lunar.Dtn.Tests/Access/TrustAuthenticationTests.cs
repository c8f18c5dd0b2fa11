using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Security;
using Lunar.Dtn.Security.Tls;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Access;

/// <summary><see cref="TrustStore.Authenticate"/> on its own: every way a certificate can fail to name a principal, each with its reason.</summary>
public sealed class TrustAuthenticationTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Constellation _constellation;
    private readonly TrustStore _trust;

    public TrustAuthenticationTests()
    {
        TestCredentials.Create(_dir.Path, ["moon"], agents: ["srv-1"]);
        _constellation = Constellation.Load(Path.Combine(_dir.Path, DevConstellation.FileName));
        _trust = _constellation.ToTrustStore();
    }

    private X509Certificate2 CertOf(string id) => CertificateFiles.Load(CertificateFiles.CombinedPath(_dir.Path, id));

    [Theory]
    [InlineData("ada", PrincipalKind.Operator, "admin")]
    [InlineData("vic", PrincipalKind.Operator, "viewer")]
    [InlineData("alice", PrincipalKind.Approver, "flight-director")]
    [InlineData("moon", PrincipalKind.Node, "node")]
    [InlineData("srv-1", PrincipalKind.Agent, "agent")]
    public void GenuineCertificate_NamesItsPrincipal(string id, PrincipalKind kind, string role)
    {
        using var cert = CertOf(id);
        var lookup = _trust.Authenticate(cert, DateTimeOffset.UtcNow);
        Assert.True(lookup.Ok, lookup.Problem);
        Assert.Equal(new Caller(id, kind, role, 1), lookup.Caller);
    }

    [Fact]
    public void CertificatePastItsX509Validity_IsRefusedNamingTheDates()
    {
        using var cert = CertOf("ada");
        var lookup = _trust.Authenticate(cert, cert.NotAfter.ToUniversalTime().AddDays(1));
        Assert.False(lookup.Ok);
        Assert.Contains("not valid at", lookup.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateForAListedNameWithAnotherKey_IsRefused_EvenFromTheSameCa()
    {
        // Someone holding the CA key (or a stolen issuance) makes a second certificate for ada: the constellation lists ada's key, not this one.
        using var ca = new CertificateAuthorityFromFolder(_dir.Path).Authority;
        using var forged = ca.Issue("ada", PrincipalKind.Operator, DateTimeOffset.UtcNow);
        var lookup = _trust.Authenticate(forged, DateTimeOffset.UtcNow);
        Assert.False(lookup.Ok);
        Assert.Contains("not the one constellation version 1 lists", lookup.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateOfAnUnknownPrincipal_IsRefused()
    {
        using var ca = new CertificateAuthorityFromFolder(_dir.Path).Authority;
        using var stranger = ca.Issue("mallory", PrincipalKind.Operator, DateTimeOffset.UtcNow);
        var lookup = _trust.Authenticate(stranger, DateTimeOffset.UtcNow);
        Assert.Contains("unknown operator 'mallory'", lookup.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentCertificateClaimingToBeAnOperator_IsRefused()
    {
        // The kind is part of the name (OU) and of the list: an agent's CN in the operator list does not exist.
        using var ca = new CertificateAuthorityFromFolder(_dir.Path).Authority;
        using var cross = ca.Issue("srv-1", PrincipalKind.Operator, DateTimeOffset.UtcNow);
        Assert.Contains("unknown operator 'srv-1'", _trust.Authenticate(cross, DateTimeOffset.UtcNow).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstellationWithoutACa_AuthenticatesNobody()
    {
        using var cert = CertOf("ada");
        var bare = (_constellation with { Ca = null }).ToTrustStore();
        Assert.Contains("names no TLS certificate authority", bare.Authenticate(cert, DateTimeOffset.UtcNow).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void OldConstellationFiles_KeepTheirSignature_TheNewFieldsAreLeftOutWhenAbsent()
    {
        var json = (_constellation with { Ca = null, Operators = null, Agents = null }).ToJson();
        Assert.DoesNotContain("\"ca\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"operators\"", json, StringComparison.Ordinal);
        var bareNode = System.Text.Json.JsonSerializer.Serialize(_constellation.Nodes[0] with { Tls = null, TlsNotAfter = null });
        Assert.Equal("{\"id\":\"moon\",\"role\":\"node\",\"publicKey\":\"" + _constellation.Nodes[0].PublicKey + "\"}", bareNode);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>The development CA of a folder, able to issue (its key is ca.key.pem).</summary>
    private sealed class CertificateAuthorityFromFolder(string dir)
    {
        public CertificateAuthority Authority { get; } =
            CertificateAuthority.Load(Path.Combine(dir, DevConstellation.AuthorityFile), Path.Combine(dir, DevConstellation.AuthorityKeyFile));
    }
}
