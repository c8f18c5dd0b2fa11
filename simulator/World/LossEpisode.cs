namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// One loss as the sync saw it: the sender's retransmission timer fired (a bundle or its acknowledgement was lost),
/// and this is what it cost until the receiver held everything the sender had pushed: how many retransmissions, how
/// many bundles the link dropped meanwhile, and the delay beyond a loss-free delivery, in seconds and in round trips.
/// </summary>
public sealed record LossEpisode(double AtHours, string Direction, int Retransmissions, long BundlesLost, double ExtraSeconds, double ExtraRoundTrips);
