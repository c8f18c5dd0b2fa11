using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>A state reduced to one of its maps, to check that map's merge on its own.</summary>
public static class StateProjection
{
    public static ReplicaState Artifacts(ReplicaState s) => new(null, s.Artifacts, null, null, null, null);

    public static ReplicaState Approvals(ReplicaState s) => new(null, null, s.Approvals, null, null, null);

    public static ReplicaState Revocations(ReplicaState s) => new(null, null, null, s.Revocations, null, null);

    public static ReplicaState Audit(ReplicaState s) => new(null, null, null, null, null, s.Audit);

    public static ReplicaState Constellations(ReplicaState s) => new(null, null, null, null, null, null, s.Constellations);
}
