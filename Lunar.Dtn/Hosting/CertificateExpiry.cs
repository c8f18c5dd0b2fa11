using Lunar.Dtn.Security;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Until when a certificate may act: every principal's <c>tlsNotAfter</c> in the constellation version in force (kind
/// node, approver, operator or agent; revoked principals are left out, they act no more), and this node's own X.509
/// certificate's notAfter (kind <see cref="OwnKind"/>). <c>/metrics</c> exposes them all; the dashboard lists those due
/// within <see cref="WarnWithin"/>, which is long enough for a renewal (a new constellation version) to reach a Moon
/// through a three-week blackout by the next contact or stick.
/// </summary>
public sealed record CertificateExpiry(string Principal, string Kind, DateTimeOffset NotAfter, double SecondsLeft)
{
    public static readonly TimeSpan WarnWithin = TimeSpan.FromDays(60);

    /// <summary>The kind of the series for this node's own X.509 certificate (the file Kestrel and the link present).</summary>
    public const string OwnKind = "x509";

    public bool Due => SecondsLeft <= WarnWithin.TotalSeconds;

    /// <summary>Every certificate's expiry, soonest first.</summary>
    public static IReadOnlyList<CertificateExpiry> All(TrustStore trust, NodeIdentity me, DateTimeOffset now)
    {
        var list = new List<CertificateExpiry>();
        void Add(IEnumerable<Principal> principals, PrincipalKind kind)
        {
            foreach (var p in principals)
            {
                if (p.TlsNotAfter is not { } end) continue;
                if (p.Tls is { } t && trust.IsRevoked(t) || p.PublicKey.Length == 64 && trust.IsRevoked(p.PublicKey)) continue;
                list.Add(new CertificateExpiry(p.Id, kind.ToString().ToLowerInvariant(), end, Math.Round((end - now).TotalSeconds)));
            }
        }
        Add(trust.Nodes, PrincipalKind.Node);
        Add(trust.Approvers, PrincipalKind.Approver);
        Add(trust.Operators, PrincipalKind.Operator);
        Add(trust.Agents, PrincipalKind.Agent);
        if (me.CertificateNotAfter is { } own) list.Add(new CertificateExpiry(me.Id, OwnKind, own, Math.Round((own - now).TotalSeconds)));
        list.Sort((a, b) => a.NotAfter.CompareTo(b.NotAfter));
        return list;
    }
}
