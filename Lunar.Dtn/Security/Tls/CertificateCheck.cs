using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Lunar.Dtn.Security.Tls;

/// <summary>
/// Checks a presented certificate against the constellation's CA alone (never the machine's trust store): issued by
/// that CA, inside its own validity at <c>now</c>, and naming a principal (CN) of a kind (OU). Null problem when good.
/// </summary>
public static class CertificateCheck
{
    /// <summary>The principal a certificate names: (id, kind), or why it names none this CA issued.</summary>
    public static (string? Id, PrincipalKind Kind, string? Problem) Check(X509Certificate2 presented, X509Certificate2 authority, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(presented))
        {
            var status = chain.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (a, b) => a | b);
            var why = status.HasFlag(X509ChainStatusFlags.NotTimeValid)
                ? $"the certificate of '{presented.GetNameInfo(X509NameType.SimpleName, false)}' is not valid at {now:u} (valid {presented.NotBefore.ToUniversalTime():u} to {presented.NotAfter.ToUniversalTime():u})"
                : status.HasFlag(X509ChainStatusFlags.UntrustedRoot) || status.HasFlag(X509ChainStatusFlags.PartialChain)
                    ? $"the certificate '{presented.Subject}' was not issued by this constellation's certificate authority"
                    : $"the certificate '{presented.Subject}' does not verify: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}";
            return (null, default, why);
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span))
            return (null, default, $"the certificate '{presented.Subject}' was not issued by this constellation's certificate authority");
        var id = presented.GetNameInfo(X509NameType.SimpleName, false);
        var unit = OrganisationalUnit(presented);
        if (string.IsNullOrEmpty(id) || !Enum.TryParse<PrincipalKind>(unit, ignoreCase: true, out var kind))
            return (null, default, $"the certificate '{presented.Subject}' names no principal (CN) of a known kind (OU node, approver, operator or agent)");
        return (id, kind, null);
    }

    /// <summary>
    /// The check a client makes of a node's server certificate: issued by <paramref name="authority"/>, a node certificate,
    /// and (when given) the node <paramref name="expectedNode"/>. Host names are not compared: the CA, not DNS, says who a
    /// node is, and every node certificate of a development constellation names localhost and 127.0.0.1 anyway.
    /// </summary>
    public static RemoteCertificateValidationCallback ForNode(X509Certificate2 authority, TimeProvider time, string? expectedNode = null, Action<string>? refused = null) =>
        (_, certificate, _, _) =>
        {
            if (certificate is null) { refused?.Invoke("the node presented no certificate"); return false; }
            var presented = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var (id, kind, problem) = Check(presented, authority, time.GetUtcNow());
            problem ??= kind != PrincipalKind.Node ? $"'{id}' presented a {kind.ToString().ToLowerInvariant()} certificate, not a node's"
                : expectedNode is not null && id != expectedNode ? $"expected node '{expectedNode}' but '{id}' answered" : null;
            if (problem is not null) refused?.Invoke(problem);
            return problem is null;
        };

    private static string? OrganisationalUnit(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(r => r.GetSingleElementType().Value == "2.5.4.11")
            .Select(r => r.GetSingleElementValue())
            .FirstOrDefault();
}
