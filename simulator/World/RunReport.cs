using System.Text.Json;
using System.Text.Json.Serialization;
using Lunar.Dtn.Simulator.Scenarios;

namespace Lunar.Dtn.Simulator.World;

/// <summary>report.json: the contract's fields and more. Everything but wallSeconds and wall is a function of the scenario and seed.</summary>
public static class RunReport
{
    private static readonly string[] Invariants = ["convergence", "noLostWrites", "redundancy", "tier1Quorum", "pauseHonoured", "rollbackWithin5Min", "signedInputs", "tier2Window"];

    public static Dictionary<string, object?> Build(Scenario s, RunResult r, IReadOnlyDictionary<int, double> work, double wallSeconds)
    {
        var (lb, why) = LowerBound.Of(s, work, r.Artifact.Crossing);
        var a = r.Artifact;
        var sw = a.Swarm;
        var first = r.Violations.FirstOrDefault();
        return new Dictionary<string, object?>
        {
            ["scenario"] = s.Name,
            ["seed"] = s.Seed,
            ["completed"] = r.Completed,
            ["campaignHours"] = r.CampaignHours,
            ["lowerBoundHours"] = lb,
            ["lowerBoundExplanation"] = why,
            ["campaignToLowerBound"] = r.CampaignHours is { } h ? Math.Round(h / lb, 4) : null,
            ["tierHours"] = r.TierHours,
            ["servers"] = new { upgraded = r.Upgraded, rolledBack = r.RolledBack, failed = r.Failed, untouched = r.Untouched, total = s.Servers },
            ["bytes"] = new
            {
                earthToMoon = r.EarthToMoonBytes,
                moonToEarth = r.MoonToEarthBytes,
                earthToMoonByPriority = new { control = r.EarthToMoonByPriority[0], status = r.EarthToMoonByPriority[1], bulk = r.EarthToMoonByPriority[2] },
                moonToEarthByPriority = new { control = r.MoonToEarthByPriority[0], status = r.MoonToEarthByPriority[1], bulk = r.MoonToEarthByPriority[2] },
                earthArtifact = a.EarthChunkBytes,
                mirrorEgress = sw.MirrorEgressBytes,
                peer = sw.PeerBytes,
                artifactSize = a.ArtifactBytes,
                earthArtifactRatio = Math.Round(a.EarthRatio, 5),
                artifactDelivered = sw.DeliveredBytes,
                mirrorEgressShare = Math.Round(a.MirrorShare, 6),
                note = "earthArtifact: the artifact's chunk bundles (64 KiB of content each, signed) on the wire Earth → Moon, sent by the real chunk transfer; " +
                    "earthArtifactRatio = earthArtifact / artifactSize. mirrorEgress: what the Moon's mirror sent agents (super-seeding plus HTTP fallback); " +
                    "peer: what agents sent each other; artifactDelivered = mirrorEgress + peer; mirrorEgressShare = mirrorEgress / artifactDelivered",
            },
            ["artifact"] = new
            {
                sha256 = a.Sha256,
                sizeBytes = a.ArtifactBytes,
                mirrorHoldsHours = a.MirrorHoldsHours,
                transferStatusBytes = new { earthToMoon = a.EarthStatusBytes, moonToEarth = a.MoonStatusBytes },
                swarm = new
                {
                    pieces = sw.Pieces, pieceBytes = sw.PieceBytes, downloads = sw.Downloads,
                    mirrorSuperSeedBytes = sw.MirrorSuperSeedBytes, mirrorFallbackBytes = sw.MirrorFallbackBytes,
                    peerBytes = sw.PeerBytes, peerSameSiteBytes = sw.PeerSameSiteBytes,
                    downloadSeconds = new { mean = sw.MeanDownloadSeconds, max = sw.MaxDownloadSeconds },
                    maxWaitForMirrorSeconds = sw.MaxWaitForMirrorSeconds,
                },
            },
            ["convergence"] = new
            {
                converged = r.Converged, maxLagSeconds = r.MaxLagSeconds, afterBlackoutSeconds = r.AfterBlackoutSeconds,
                catchUps = r.CatchUps,
                catchUpExplanation = "for each blackout: seconds until Earth held everything the Moon held when contact returned; lossFreeSeconds = one light time + " +
                    "the transmission of what the Moon pushed at that instant (0 if Earth already held it all); extraSeconds beyond that, in round trips " +
                    "(2 light times), with the retransmissions and lost bundles in between",
                loss = new
                {
                    linkLoss = r.Loss.LinkLoss,
                    roundTripSeconds = r.Loss.RoundTripSeconds,
                    bundlesLost = new { earthToMoon = r.Loss.LostEarthToMoon, moonToEarth = r.Loss.LostMoonToEarth },
                    retransmissions = new { earth = r.Loss.RetransmissionsByEarth, moon = r.Loss.RetransmissionsByMoon },
                    episodes = r.Loss.Episodes,
                    interrupted = r.Loss.Interrupted,
                    extraSecondsTotal = r.Loss.ExtraSecondsTotal,
                    extraRoundTrips = new { mean = r.Loss.ExtraRoundTripsMean, max = r.Loss.ExtraRoundTripsMax },
                    extraRoundTripsHistogram = new Dictionary<string, int>
                    {
                        ["0"] = r.Loss.ExtraRoundTripsHistogram[0], ["1"] = r.Loss.ExtraRoundTripsHistogram[1], ["2"] = r.Loss.ExtraRoundTripsHistogram[2],
                        ["3"] = r.Loss.ExtraRoundTripsHistogram[3], ["4+"] = r.Loss.ExtraRoundTripsHistogram[4],
                    },
                    firstEpisodes = r.Loss.FirstEpisodes,
                    explanation = "an episode opens when a sender retransmits (a bundle or its acknowledgement was lost) and closes when the receiver holds " +
                        "what the sender's last push carried; extraSeconds = that moment - when the push would have arrived on a loss-free link " +
                        "(sent + transmission + one light time); extraRoundTrips = extraSeconds / round trip. A lost acknowledgement costs a " +
                        $"retransmission and no delay. Episodes cut short by a blackout or a crash, and retransmissions that resend what died with a crashed node, are counted as interrupted, not as loss (a blackout's cost is in its catch-up); the first {LossLedger.KeepEpisodes} are listed",
                },
            },
            ["invariants"] = Invariants.ToDictionary(i => i, i => r.Violations.Count(v => v.Invariant == i)),
            ["violations"] = r.Violations.Take(100).Select(v => new { invariant = v.Invariant, at = v.At, where = v.Where, what = v.What }).ToArray(),
            ["replay"] = first is null ? null : $"dotnet run --project simulator -c Release -- run --scenario <this scenario> --seed {s.Seed}",
            ["starts"] = r.Starts,
            ["longestRollbackSeconds"] = r.LongestRollbackSeconds,
            ["timeline"] = r.Timeline,
            ["wallSeconds"] = Math.Round(wallSeconds, 3),
            ["wall"] = new { wallSeconds = Math.Round(wallSeconds, 3) },
        };
    }

    public static string ToJson(Dictionary<string, object?> report) =>
        JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never });
}
