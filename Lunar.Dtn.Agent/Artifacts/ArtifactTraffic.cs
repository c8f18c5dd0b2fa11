namespace Lunar.Dtn.Agent.Artifacts;

/// <summary>Artifact bytes this agent received from peers and from the mirror (its seeder and its HTTP fallback), and uploaded to peers.</summary>
public readonly record struct ArtifactTraffic(long FromPeers, long FromMirror, long FromMirrorHttp, long Uploaded)
{
    public static ArtifactTraffic operator +(ArtifactTraffic a, ArtifactTraffic b) =>
        new(a.FromPeers + b.FromPeers, a.FromMirror + b.FromMirror, a.FromMirrorHttp + b.FromMirrorHttp, a.Uploaded + b.Uploaded);
}
