namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// Earth's catch-up after one blackout: how long it took, what a loss-free link would have taken (one light time plus
/// the transmission of what the Moon pushed when contact returned), and what the difference cost in retransmissions,
/// lost bundles and round trips.
/// </summary>
public sealed record CatchUp(double BlackoutEndHours, double Seconds, double LossFreeSeconds, double ExtraSeconds, double ExtraRoundTrips,
    long Retransmissions, long BundlesLost);
