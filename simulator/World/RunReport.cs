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
        var (lb, why) = LowerBound.Of(s, work);
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
                earthArtifact = 0, mirrorEgress = 0, peer = 0,
                note = "artifact transfer and the lunar swarm are not modelled yet (they come with the artifacts issue): artifact byte figures are 0",
            },
            ["convergence"] = new { converged = r.Converged, maxLagSeconds = r.MaxLagSeconds, afterBlackoutSeconds = r.AfterBlackoutSeconds },
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
