namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// The loss accounting of a run (see <see cref="LossLedger"/>): bundles the link lost while up, retransmissions by each
/// node, and the loss episodes with the extra round trips each cost (the first <see cref="LossLedger.KeepEpisodes"/> listed).
/// </summary>
public sealed record LossSummary(
    double LinkLoss, double RoundTripSeconds,
    long LostEarthToMoon, long LostMoonToEarth,
    long RetransmissionsByEarth, long RetransmissionsByMoon,
    int Episodes, int Interrupted,
    double ExtraSecondsTotal, double ExtraRoundTripsMean, double ExtraRoundTripsMax,
    IReadOnlyList<int> ExtraRoundTripsHistogram,
    IReadOnlyList<LossEpisode> FirstEpisodes);
