using System.Globalization;
using System.Text.Json;
using Lunar.Dtn.Model;
using Lunar.Dtn.Simulator.Common;
using Lunar.Dtn.Simulator.LinkEmulator;

namespace Lunar.Dtn.Simulator.Scenarios;

/// <summary>Reads a scenario file; every error names the field (e.g. "servers.count", "events[2].at").</summary>
public static class ScenarioReader
{
    private static readonly string[] Actions = ["approve", "pause", "resume", "cancel", "emergency-stop", "crash"];

    public static Scenario Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw new FormatException($"{path}: {ex.Message}"); }
        return Parse(text);
    }

    public static Scenario Parse(string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException ex) { throw new FormatException($"the scenario is not JSON: {ex.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the scenario must be a JSON object");
            var d = new Scenario();
            var servers = Obj(root, "servers", required: true)!.Value;
            var upgrade = Obj(root, "upgrade");
            var artifact = Obj(root, "artifact");
            var campaign = Obj(root, "campaign");
            var link = Obj(root, "link");
            var lan = Obj(root, "lan");
            var s = d with
            {
                Name = Str(root, "name", "name") ?? d.Name,
                Seed = Int(root, "seed", "seed") ?? d.Seed,
                Servers = Int(servers, "count", "servers.count") ?? throw new FormatException("servers.count is required"),
                Sites = StrList(servers, "sites", "servers.sites") ?? d.Sites,
                TierShares = Shares(servers) ?? d.TierShares,
                RedundancyGroupSize = Int(servers, "redundancyGroupSize", "servers.redundancyGroupSize") ?? d.RedundancyGroupSize,
                StagingPool = Int(servers, "stagingPool", "servers.stagingPool") ?? d.StagingPool,
                Tier1Nodes = Int(servers, "tier1Nodes", "servers.tier1Nodes") ?? d.Tier1Nodes,
                MeanMinutes = Num(upgrade, "meanMinutes", "upgrade.meanMinutes") ?? d.MeanMinutes,
                FailureRate = Num(upgrade, "failureRate", "upgrade.failureRate") ?? d.FailureRate,
                RollbackMinutes = Num(upgrade, "rollbackMinutes", "upgrade.rollbackMinutes") ?? d.RollbackMinutes,
                ArtifactMB = Num(artifact, "sizeMB", "artifact.sizeMB") ?? d.ArtifactMB,
                PieceKB = Int(artifact, "pieceKB", "artifact.pieceKB") ?? d.PieceKB,
                Concurrency = Int(campaign, "concurrency", "campaign.concurrency") ?? d.Concurrency,
                BatchSize = Int(campaign, "batchSize", "campaign.batchSize") ?? d.BatchSize,
                ApprovalRequired = Bool(campaign, "approvalRequired", "campaign.approvalRequired") ?? d.ApprovalRequired,
                PauseOnAnomaly = Anomaly(campaign) ?? d.PauseOnAnomaly,
                AnomalyReviewMinutes = Num(campaign, "anomalyReviewMinutes", "campaign.anomalyReviewMinutes") ?? d.AnomalyReviewMinutes,
                Tier2Windows = Windows(campaign) ?? d.Tier2Windows,
                OneWayDelaySeconds = Num(link, "oneWayDelaySeconds", "link.oneWayDelaySeconds") ?? d.OneWayDelaySeconds,
                BandwidthMbps = Num(link, "bandwidthMbps", "link.bandwidthMbps") ?? d.BandwidthMbps,
                Loss = Num(link, "loss", "link.loss") ?? d.Loss,
                Blackouts = link is { } l ? ContactPlan.Parse(l, "link") : d.Blackouts,
                ServerMbps = Num(lan, "serverMbps", "lan.serverMbps") ?? d.ServerMbps,
                MirrorMbps = Num(lan, "mirrorMbps", "lan.mirrorMbps") ?? d.MirrorMbps,
                AgentUploadMbps = Num(lan, "agentUploadMbps", "lan.agentUploadMbps") ?? d.AgentUploadMbps,
                Events = Events(root),
                Limit = Str(root, "limit", "limit") is { } lim ? DurationText.Parse(lim, "limit") : d.Limit,
            };
            Check(s);
            return s;
        }
    }

    private static void Check(Scenario s)
    {
        if (s.Servers < 1) throw new FormatException($"servers.count must be at least 1 (got {s.Servers})");
        if (s.Sites.Count == 0) throw new FormatException("servers.sites names no site");
        if (s.RedundancyGroupSize < 1) throw new FormatException("servers.redundancyGroupSize must be at least 1");
        if (s.StagingPool < 0 || s.StagingPool > s.Servers) throw new FormatException($"servers.stagingPool must be between 0 and servers.count ({s.Servers})");
        if (s.Tier1Nodes is < 0 or > 32) throw new FormatException($"servers.tier1Nodes must be between 0 and 32 (got {s.Tier1Nodes})");
        if (s.MeanMinutes <= 0) throw new FormatException("upgrade.meanMinutes must be positive");
        if (s.FailureRate is < 0 or > 1) throw new FormatException("upgrade.failureRate must be between 0 and 1");
        if (s.RollbackMinutes < 0) throw new FormatException("upgrade.rollbackMinutes must not be negative");
        // Both nodes hold the content in a scratch folder in memory during the run: keep it within reason.
        if (s.ArtifactMB is <= 0 or > 4096) throw new FormatException($"artifact.sizeMB must be above 0 and at most 4096 (got {s.ArtifactMB.ToString(CultureInfo.InvariantCulture)})");
        if (s.PieceKB is { } kb && (kb < 16 || kb > 16384 || (kb & (kb - 1)) != 0)) throw new FormatException($"artifact.pieceKB must be a power of two from 16 to 16384 (got {kb})");
        if (s.ServerMbps <= 0) throw new FormatException("lan.serverMbps must be positive");
        if (s.MirrorMbps <= 0) throw new FormatException("lan.mirrorMbps must be positive");
        if (s.AgentUploadMbps <= 0) throw new FormatException("lan.agentUploadMbps must be positive");
        if (s.Concurrency < 1) throw new FormatException("campaign.concurrency must be at least 1");
        if (s.BatchSize < 1) throw new FormatException("campaign.batchSize must be at least 1");
        if (s.OneWayDelaySeconds < 0) throw new FormatException("link.oneWayDelaySeconds must not be negative");
        if (s.BandwidthMbps <= 0) throw new FormatException("link.bandwidthMbps must be positive");
        if (s.Loss is < 0 or >= 1) throw new FormatException("link.loss must be at least 0 and below 1");
        if (s.Limit <= TimeSpan.Zero) throw new FormatException("limit must be positive");
    }

    private static JsonElement? Obj(JsonElement owner, string name, bool required = false)
    {
        if (!owner.TryGetProperty(name, out var v))
            return required ? throw new FormatException($"{name} is required") : null;
        return v.ValueKind == JsonValueKind.Object ? v : throw new FormatException($"{name}: expected an object");
    }

    private static string? Str(JsonElement? o, string name, string field) =>
        o is { } e && e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"{field}: expected a string") : null;

    private static double? Num(JsonElement? o, string name, string field) =>
        o is { } e && e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new FormatException($"{field}: expected a number") : null;

    private static int? Int(JsonElement? o, string name, string field) =>
        o is { } e && e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw new FormatException($"{field}: expected an integer") : null;

    private static bool? Bool(JsonElement? o, string name, string field) =>
        o is { } e && e.TryGetProperty(name, out var v) ? v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw new FormatException($"{field}: expected true or false") : null;

    private static IReadOnlyList<string>? StrList(JsonElement o, string name, string field)
    {
        if (!o.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String)) throw new FormatException($"{field}: expected an array of strings");
        return v.EnumerateArray().Select(x => x.GetString()!).ToArray();
    }

    private static IReadOnlyDictionary<int, double>? Shares(JsonElement servers)
    {
        if (!servers.TryGetProperty("tierShares", out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object) throw new FormatException("servers.tierShares: expected an object like { \"1\": 0.1, \"2\": 0.3, \"3\": 0.6 }");
        var result = new Dictionary<int, double>();
        foreach (var p in v.EnumerateObject())
        {
            if (!int.TryParse(p.Name, CultureInfo.InvariantCulture, out var tier) || tier is < 1 or > 3) throw new FormatException($"servers.tierShares.{p.Name}: tiers are 1, 2 and 3");
            if (p.Value.ValueKind != JsonValueKind.Number || p.Value.GetDouble() < 0) throw new FormatException($"servers.tierShares.{p.Name}: expected a share ≥ 0");
            result[tier] = p.Value.GetDouble();
        }
        var sum = result.Values.Sum();
        if (Math.Abs(sum - 1) > 0.001) throw new FormatException($"servers.tierShares: the shares add up to {sum.ToString(CultureInfo.InvariantCulture)}, not 1");
        return result;
    }

    private static AnomalyPolicy? Anomaly(JsonElement? campaign)
    {
        if (campaign is not { } c || !c.TryGetProperty("pauseOnAnomaly", out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object) throw new FormatException("campaign.pauseOnAnomaly: expected { \"failureRate\", \"window\" }");
        var rate = Num(v, "failureRate", "campaign.pauseOnAnomaly.failureRate") ?? throw new FormatException("campaign.pauseOnAnomaly.failureRate is required");
        var window = Int(v, "window", "campaign.pauseOnAnomaly.window") ?? throw new FormatException("campaign.pauseOnAnomaly.window is required");
        if (rate is < 0 or > 1) throw new FormatException("campaign.pauseOnAnomaly.failureRate must be between 0 and 1");
        if (window < 1) throw new FormatException("campaign.pauseOnAnomaly.window must be at least 1");
        return new AnomalyPolicy(rate, window);
    }

    private static IReadOnlyList<MaintenanceWindow>? Windows(JsonElement? campaign)
    {
        if (campaign is not { } c || !c.TryGetProperty("tier2Windows", out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array) throw new FormatException("campaign.tier2Windows: expected an array");
        var i = 0;
        return v.EnumerateArray().Select(w =>
        {
            var field = $"campaign.tier2Windows[{i++}]";
            var start = Str(w, "start", field + ".start");
            var end = Str(w, "end", field + ".end");
            if (!TimeOnly.TryParseExact(start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) throw new FormatException($"{field}.start: expected \"HH:mm\"");
            if (!TimeOnly.TryParseExact(end, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) throw new FormatException($"{field}.end: expected \"HH:mm\"");
            return new MaintenanceWindow(start!, end!);
        }).ToArray();
    }

    private static IReadOnlyList<ScenarioEvent> Events(JsonElement root)
    {
        if (!root.TryGetProperty("events", out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array) throw new FormatException("events: expected an array");
        var list = new List<ScenarioEvent>();
        var i = 0;
        foreach (var e in v.EnumerateArray())
        {
            var field = $"events[{i++}]";
            if (e.ValueKind != JsonValueKind.Object) throw new FormatException($"{field}: expected an object");
            var at = DurationText.Parse(Str(e, "at", field + ".at"), field + ".at");
            var node = Str(e, "node", field + ".node") ?? throw new FormatException($"{field}.node is required");
            if (node is not ("earth" or "moon")) throw new FormatException($"{field}.node: '{node}' is not earth or moon");
            var action = Str(e, "action", field + ".action") ?? throw new FormatException($"{field}.action is required");
            if (!Actions.Contains(action)) throw new FormatException($"{field}.action: '{action}' is not one of {string.Join(", ", Actions)}");
            var approver = Str(e, "approver", field + ".approver");
            if (action == "approve" && approver is null) throw new FormatException($"{field}.approver is required for approve");
            TimeSpan? downFor = Str(e, "downFor", field + ".downFor") is { } df ? DurationText.Parse(df, field + ".downFor") : null;
            if (action == "crash" && downFor is null) throw new FormatException($"{field}.downFor is required for crash");
            list.Add(new ScenarioEvent(at, node, action, approver, downFor));
        }
        return list.OrderBy(e => e.At).ToArray();
    }
}
