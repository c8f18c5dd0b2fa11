using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lunar.Dtn.Simulator.Scenarios;

/// <summary>
/// Writes a scenario back in the file format (interfaces.md section 5), every default filled in, so a report shows
/// exactly what ran and the JSON it shows can be run again with <c>run --scenario</c>.
/// </summary>
public static class ScenarioWriter
{
    public static string ToJson(Scenario s) => ToNode(s).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public static JsonObject ToNode(Scenario s)
    {
        var root = new JsonObject
        {
            ["name"] = s.Name,
            ["seed"] = s.Seed,
            ["servers"] = new JsonObject
            {
                ["count"] = s.Servers,
                ["sites"] = new JsonArray(s.Sites.Select(x => (JsonNode?)x).ToArray()),
                ["tierShares"] = new JsonObject(s.TierShares.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(kv.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)kv.Value))),
                ["redundancyGroupSize"] = s.RedundancyGroupSize,
                ["stagingPool"] = s.StagingPool,
            },
            ["upgrade"] = new JsonObject { ["meanMinutes"] = s.MeanMinutes, ["failureRate"] = s.FailureRate, ["rollbackMinutes"] = s.RollbackMinutes },
            ["artifact"] = Artifact(s),
            ["campaign"] = Campaign(s),
            ["link"] = new JsonObject
            {
                ["oneWayDelaySeconds"] = s.OneWayDelaySeconds,
                ["bandwidthMbps"] = s.BandwidthMbps,
                ["loss"] = s.Loss,
                ["blackouts"] = new JsonArray(s.Blackouts.Select(b => (JsonNode?)new JsonObject { ["start"] = Duration(b.Start), ["duration"] = Duration(b.Duration) }).ToArray()),
            },
            ["lan"] = new JsonObject { ["serverMbps"] = s.ServerMbps, ["mirrorMbps"] = s.MirrorMbps, ["agentUploadMbps"] = s.AgentUploadMbps },
            ["events"] = new JsonArray(s.Events.Select(Event).ToArray()),
            ["limit"] = Duration(s.Limit),
        };
        if (s.Tier1Nodes > 0) root["servers"]!["tier1Nodes"] = s.Tier1Nodes;
        return root;
    }

    private static JsonObject Artifact(Scenario s)
    {
        var a = new JsonObject { ["sizeMB"] = s.ArtifactMB };
        if (s.PieceKB is { } kb) a["pieceKB"] = kb;
        return a;
    }

    private static JsonObject Campaign(Scenario s)
    {
        var c = new JsonObject
        {
            ["concurrency"] = s.Concurrency,
            ["batchSize"] = s.BatchSize,
            ["approvalRequired"] = s.ApprovalRequired,
        };
        if (s.PauseOnAnomaly is { } a) c["pauseOnAnomaly"] = new JsonObject { ["failureRate"] = a.FailureRate, ["window"] = a.Window };
        c["anomalyReviewMinutes"] = s.AnomalyReviewMinutes;
        c["tier2Windows"] = new JsonArray(s.Tier2Windows.Select(w => (JsonNode?)new JsonObject { ["start"] = w.Start, ["end"] = w.End }).ToArray());
        return c;
    }

    private static JsonNode? Event(ScenarioEvent e)
    {
        var o = new JsonObject { ["at"] = Duration(e.At), ["node"] = e.Node, ["action"] = e.Action };
        if (e.Approver is not null) o["approver"] = e.Approver;
        if (e.DownFor is { } d) o["downFor"] = Duration(d);
        return o;
    }

    /// <summary>The largest unit that states the duration exactly: "36h", "90m", "1280ms".</summary>
    public static string Duration(TimeSpan t)
    {
        if (t == TimeSpan.Zero) return "0s";
        foreach (var (unit, size) in new[] { ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)) })
            if (t.Ticks % size.Ticks == 0) return (t.Ticks / size.Ticks).ToString(CultureInfo.InvariantCulture) + unit;
        return t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
    }
}
