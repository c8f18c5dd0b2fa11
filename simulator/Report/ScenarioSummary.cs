using System.Globalization;
using Lunar.Dtn.Simulator.Scenarios;

namespace Lunar.Dtn.Simulator.Report;

/// <summary>A scenario in sentences, for the top of report.html.</summary>
public static class ScenarioSummary
{
    public static IReadOnlyList<string> Of(Scenario s)
    {
        var f = CultureInfo.InvariantCulture;
        var tiers = string.Join(", ", s.TierShares.OrderBy(kv => kv.Key).Select(kv => string.Create(f, $"Tier {kv.Key} {kv.Value:0.#%}")));
        var lines = new List<string>
        {
            string.Create(f, $"{s.Servers:N0} servers at {s.Sites.Count} sites ({string.Join(", ", s.Sites)}); {tiers} of those outside the staging pool of {s.StagingPool:N0}; redundancy groups of {s.RedundancyGroupSize}.") +
                (s.Tier1Nodes > 0 ? string.Create(f, $" Tier 1 servers are run by {s.Tier1Nodes} Tier 1 node{(s.Tier1Nodes == 1 ? "" : "s")} on the Moon's LAN, each a replica with its own executor.") : ""),
            string.Create(f, $"Upgrades take {s.MeanMinutes:0.#} min on average; {s.FailureRate:0.##%} fail and roll back in {s.RollbackMinutes:0.#} min; the artifact is {s.ArtifactMB:0.#} MB."),
            string.Create(f, $"The campaign runs {s.Concurrency} servers at a time in batches of {s.BatchSize}; approval {(s.ApprovalRequired ? "required" : "not required")}; ") +
                (s.PauseOnAnomaly is { } a ? string.Create(f, $"pause on anomaly at {a.FailureRate:0.#%} failures over {a.Window} servers, reviewed after {s.AnomalyReviewMinutes:0} min; ") : "no pause on anomaly; ") +
                (s.Tier2Windows.Count == 0 ? "Tier 2 at any time." : $"Tier 2 only inside {string.Join(", ", s.Tier2Windows.Select(w => $"{w.Start}–{w.End}"))} UTC."),
            string.Create(f, $"Lunar LAN: the artifact in {s.PieceBytes / 1024} KiB pieces; the mirror uploads at most {s.MirrorMbps:0.##} Mbit/s, each agent downloads at {s.ServerMbps:0.##} Mbit/s and uploads at most {s.AgentUploadMbps:0.##} Mbit/s."),
            string.Create(f, $"Earth link: {s.OneWayDelaySeconds:0.###} s one way, {s.BandwidthMbps:0.##} Mbit/s, {s.Loss:0.##%} loss; ") +
                (s.Blackouts.Count == 0 ? "no blackout." : "blackouts: " + string.Join(", ", s.Blackouts.Select(b => $"{ScenarioWriter.Duration(b.Duration)} from t = {ScenarioWriter.Duration(b.Start)}")) + "."),
            s.Events.Count == 0 ? "No operator events or crashes (every approver signs at t = 0)." :
                "Events: " + string.Join("; ", s.Events.Select(e => $"{ScenarioWriter.Duration(e.At)}: {e.Node} {e.Action}" +
                    (e.Approver is null ? "" : $" by {e.Approver}") + (e.DownFor is { } d ? $" for {ScenarioWriter.Duration(d)}" : ""))) + ".",
            string.Create(f, $"Seed {s.Seed}; the run stops at {ScenarioWriter.Duration(s.Limit)} of virtual time if the campaign has not finished."),
        };
        return lines;
    }
}
