namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// For the lower bound: the artifact cannot be on the Moon before one light time plus its bytes at the link's bandwidth
/// (<paramref name="MinSeconds"/>), and every server's work from its download on (<paramref name="WorkAfterArrivalHours"/>) can only follow.
/// </summary>
public sealed record ArtifactCrossing(double MinSeconds, double WorkAfterArrivalHours);
