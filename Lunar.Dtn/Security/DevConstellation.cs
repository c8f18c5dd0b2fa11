using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Security.Tls;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Security;

/// <summary>
/// Makes a development constellation: fresh keys for a root, a TLS certificate authority, and every node, approver,
/// operator and agent, written as DIR/constellation.json (public facts only, root-signed) plus, per principal, its
/// Ed25519 key file (nodes and approvers: DIR/earth.key, ...) and its TLS files (DIR/P.crt, P.key.pem, P.pem, P.p12; an
/// agent also gets DIR/P.passkey for BitTorrent clients that cannot present a certificate).
/// </summary>
/// <remarks>
/// The root key (root.key) and the CA key (ca.key.pem) are written here too, which is what makes it a development
/// folder: in a real deployment both live offline and never in a node's data folder.
/// </remarks>
public static class DevConstellation
{
    public const string FileName = "constellation.json";

    public const string AuthorityFile = "ca.crt";

    public const string AuthorityKeyFile = "ca.key.pem";

    /// <summary>How long the constellation lets a certificate act before it must be renewed (a new version).</summary>
    public static readonly TimeSpan CertificateTerm = TimeSpan.FromDays(365);

    /// <summary>Host names every development node certificate names besides the node's id.</summary>
    public static readonly IReadOnlyList<string> LocalHostNames = ["localhost", "127.0.0.1"];

    /// <summary>Returns the paths written: constellation.json first.</summary>
    public static IReadOnlyList<string> Create(string dir, IEnumerable<string> nodes, IEnumerable<(string Id, string Role)> approvers,
        IEnumerable<(string Id, string Role)>? operators = null, IEnumerable<string>? agents = null, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        using var root = NodeKey.Generate("root");
        using var ca = CertificateAuthority.Create("Lunar.Dtn development CA", at);
        var issuer = new PrincipalIssuer(dir, ca, at, at.Add(CertificateTerm));
        var nodePrincipals = nodes.Select(id => issuer.WithKey(id, Roles.Node, PrincipalKind.Node, written)).ToList();
        var approverPrincipals = approvers.Select(a => issuer.WithKey(a.Id, a.Role, PrincipalKind.Approver, written)).ToList();
        var operatorPrincipals = (operators ?? []).Select(o => issuer.TlsOnly(o.Id, o.Role, PrincipalKind.Operator, written)).ToList();
        var agentIds = (agents ?? []).ToArray();
        // Agents can be thousands: their certificates are independent, so issue them on every core.
        var agentPrincipals = new Principal[agentIds.Length];
        var agentFiles = new IReadOnlyList<string>[agentIds.Length];
        Parallel.For(0, agentIds.Length, i =>
        {
            var files = new List<string>();
            agentPrincipals[i] = issuer.Agent(agentIds[i], files);
            agentFiles[i] = files;
        });
        foreach (var f in agentFiles) written.AddRange(f);
        // The agents' files were written without a flush each: one flush of everything before the constellation names them.
        if (agentIds.Length > 0) FileCreationMask.SyncAll();
        root.Save(Path.Combine(dir, "root.key"));
        written.Add(Path.Combine(dir, "root.key"));
        AtomicFile.WriteText(Path.Combine(dir, AuthorityFile), ca.CertificatePem + "\n", AtomicFile.OwnerAndGroup | UnixFileMode.OtherRead);
        AtomicFile.WritePrivate(Path.Combine(dir, AuthorityKeyFile), ca.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        written.Add(Path.Combine(dir, AuthorityFile));
        written.Add(Path.Combine(dir, AuthorityKeyFile));
        var constellation = new Constellation
        {
            Version = 1,
            Nodes = nodePrincipals,
            Approvers = approverPrincipals,
            Ca = ca.CertificatePem,
            Operators = operatorPrincipals,
            Agents = agentPrincipals,
        }.SignWith(root);
        var path = Path.Combine(dir, FileName);
        AtomicFile.WriteText(path, constellation.ToJson());
        written.Insert(0, path);
        return written;
    }

    /// <summary>Issues the files of one principal and returns its constellation entry.</summary>
    private sealed class PrincipalIssuer(string dir, CertificateAuthority ca, DateTimeOffset now, DateTimeOffset tlsNotAfter)
    {
        public Principal WithKey(string id, string role, PrincipalKind kind, List<string> written)
        {
            using var key = NodeKey.Generate(id);
            var path = Path.Combine(dir, id + ".key");
            key.Save(path);
            written.Add(path);
            return Tls(new Principal(id, role, key.PublicKeyHex), kind, written);
        }

        public Principal TlsOnly(string id, string role, PrincipalKind kind, List<string> written) => Tls(new Principal(id, role, ""), kind, written);

        public Principal Agent(string id, List<string> written)
        {
            var passkey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var path = Path.Combine(dir, id + ".passkey");
            AtomicFile.WritePrivate(path, passkey + "\n", durable: false);
            written.Add(path);
            return Tls(new Principal(id, Roles.Agent, ""), PrincipalKind.Agent, written, durable: false) with { Passkey = TrackerPasskey.Hash(passkey) };
        }

        private Principal Tls(Principal p, PrincipalKind kind, List<string> written, bool durable = true)
        {
            using var certificate = ca.Issue(p.Id, kind, now, kind == PrincipalKind.Node ? LocalHostNames : null);
            written.AddRange(CertificateFiles.Write(dir, p.Id, certificate, durable));
            return p with { Tls = TlsFingerprint.Of(certificate), TlsNotAfter = tlsNotAfter };
        }
    }
}
