using System.Globalization;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Hosting;

/// <summary>The body of POST /api/v1/campaigns.</summary>
public sealed record CampaignRequest(
    string? Name,
    string? ArtifactId,
    SelectorRequest? Selector,
    int? BatchSize,
    int? ConcurrencyLimit,
    AnomalyRequest? PauseOnAnomaly,
    IReadOnlyList<WindowRequest>? Tier2Windows,
    bool? ApprovalRequired)
{
    /// <summary>Every problem with the body, keyed by field (for an RFC 9457 validation problem).</summary>
    public Dictionary<string, string[]> Validate(Func<string, bool> artifactKnown)
    {
        var errors = new Dictionary<string, string[]>();
        var bounds = BodyLimits.CampaignFields;
        if (string.IsNullOrWhiteSpace(Name)) errors["name"] = ["name is required"];
        else BodyLimits.Check(errors, bounds, "name", Name);
        if (string.IsNullOrWhiteSpace(ArtifactId)) errors["artifactId"] = ["artifactId is required"];
        else if (BodyLimits.TooLong("artifactId", ArtifactId, bounds["artifactId"]) is { } longId) errors["artifactId"] = [longId];
        else if (!artifactKnown(ArtifactId)) errors["artifactId"] = [$"artifact '{ArtifactId}' is not known to this node; register it first with POST /api/v1/artifacts"];
        BodyLimits.CheckList(errors, bounds, "selector.sites", Selector?.Sites);
        BodyLimits.CheckList(errors, bounds, "selector.clusters", Selector?.Clusters);
        if (BodyLimits.TooMany("selector.tiers", Selector?.Tiers, bounds["selector.tiers"]) is { } tiers) errors["selector.tiers"] = [tiers];
        else if (Selector?.Tiers?.Any(t => t is < 1 or > 3) == true) errors["selector.tiers"] = ["tiers are 1, 2 or 3"];
        if (BatchSize is < 1) errors["batchSize"] = ["batchSize must be at least 1"];
        if (ConcurrencyLimit is < 1) errors["concurrencyLimit"] = ["concurrencyLimit must be at least 1"];
        if (PauseOnAnomaly is { } p)
        {
            if (p.FailureRate is not (>= 0 and <= 1)) errors["pauseOnAnomaly.failureRate"] = ["failureRate is a share between 0 and 1"];
            if (p.Window is not >= 1) errors["pauseOnAnomaly.window"] = ["window is a count of finished servers, at least 1"];
        }
        if (BodyLimits.TooMany("tier2Windows", Tier2Windows, bounds["tier2Windows"]) is { } windows) errors["tier2Windows"] = [windows];
        else foreach (var (w, i) in (Tier2Windows ?? []).Select((w, i) => (w, i)))
            if (w is null) errors[$"tier2Windows[{i}]"] = ["a window is {\"start\": \"HH:mm\", \"end\": \"HH:mm\"}"];
            else if (!IsTime(w.Start) || !IsTime(w.End)) errors[$"tier2Windows[{i}]"] = ["start and end are UTC times of day, \"HH:mm\""];
        return errors;
    }

    public CampaignSelector ToSelector() =>
        new(Selector?.Sites ?? [], Selector?.Clusters ?? [], Selector?.Tiers ?? []);

    private static bool IsTime(string? s) => TimeOnly.TryParseExact(s, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}

public sealed record SelectorRequest(IReadOnlyList<string>? Sites, IReadOnlyList<string>? Clusters, IReadOnlyList<int>? Tiers);

public sealed record AnomalyRequest(double? FailureRate, int? Window);

public sealed record WindowRequest(string? Start, string? End);

public sealed record CancelRequest(bool? Rollback);
