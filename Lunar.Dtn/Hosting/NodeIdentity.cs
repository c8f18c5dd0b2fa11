namespace Lunar.Dtn.Hosting;

/// <summary>Who this node is, for endpoints that answer differently per role.</summary>
public sealed record NodeIdentity(string Id, NodeRole Role)
{
    /// <summary>The notAfter of the X.509 certificate this node presents (its API and its link); null when unknown.</summary>
    public DateTimeOffset? CertificateNotAfter { get; init; }
}
