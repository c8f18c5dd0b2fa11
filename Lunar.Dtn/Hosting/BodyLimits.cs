using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Every bound on what a request may carry, in one place (the README's "Limits" table lists the same figures): the
/// longest string and the longest list of each field of each body, and the largest body of each endpoint. A field over
/// its bound is a 400 validation problem naming the field ("name is 5,242,880 characters; at most 200"); a body over its
/// endpoint's bound is read (never held) far enough to name the field that made it so (<see cref="BodyCapMiddleware"/>),
/// or answered 413 naming the bound.
/// </summary>
public static class BodyLimits
{
    /// <summary>The largest JSON body of any endpoint but the constellation's (and of every endpoint that declares none).</summary>
    public const int JsonBodyBytes = 64 * 1024;

    /// <summary>A signed constellation: thousands of agents, each with its certificate fingerprint and passkey hash (~300 bytes each).</summary>
    public const int ConstellationBodyBytes = 16 * 1024 * 1024;

    /// <summary>
    /// A JSON body over its bound is read this far (in 16 KiB pieces, never held) to name the field that made it too long;
    /// a longer one is cut off there (and one that says so in Content-Length is not read at all).
    /// </summary>
    public const int OversizedScanBytes = 8 * 1024 * 1024;

    /// <summary>Campaign and artifact names.</summary>
    public const int NameChars = 200;

    /// <summary>Artifact and agent-reported versions.</summary>
    public const int VersionChars = 64;

    /// <summary>Identifiers: artifact, campaign, approver and principal ids, roles, sites, clusters, redundancy groups, phases.</summary>
    public const int IdChars = 128;

    /// <summary>The free text an agent reports with a phase (an error message, a log line).</summary>
    public const int DetailChars = 2000;

    /// <summary>Sites, and clusters, a campaign selector names.</summary>
    public const int SelectorItems = 256;

    /// <summary>Tiers a campaign selector names (1, 2 and 3).</summary>
    public const int TierItems = 3;

    /// <summary>Tier 2 maintenance windows of one campaign.</summary>
    public const int WindowItems = 48;

    /// <summary>An "HH:mm" time of day.</summary>
    public const int TimeChars = 5;

    /// <summary>A SHA-256 in hex.</summary>
    public const int HashChars = 64;

    /// <summary>An Ed25519 signature in hex.</summary>
    public const int SignatureChars = 128;

    /// <summary>Principals of one constellation (nodes, approvers, operators and agents together) and keys it revokes.</summary>
    public const int ConstellationItems = 50_000;

    /// <summary>A certificate (PEM) inside a constellation.</summary>
    public const int CertificateChars = 16 * 1024;

    /// <summary>Field bounds of POST /api/v1/campaigns, by JSON path ("[]" stands for every element); strings in characters, lists in items.</summary>
    public static readonly IReadOnlyDictionary<string, int> CampaignFields = Fields(
        ("name", NameChars), ("artifactId", IdChars),
        ("selector.sites", SelectorItems), ("selector.sites[]", IdChars),
        ("selector.clusters", SelectorItems), ("selector.clusters[]", IdChars),
        ("selector.tiers", TierItems),
        ("tier2Windows", WindowItems), ("tier2Windows[].start", TimeChars), ("tier2Windows[].end", TimeChars));

    /// <summary>Field bounds of POST /api/v1/artifacts.</summary>
    public static readonly IReadOnlyDictionary<string, int> ArtifactFields = Fields(("name", NameChars), ("version", VersionChars), ("sha256", HashChars));

    /// <summary>Field bounds of POST /api/v1/approvals/{campaignId}.</summary>
    public static readonly IReadOnlyDictionary<string, int> ApprovalFields = Fields(
        ("approverId", IdChars), ("role", IdChars), ("contentHash", HashChars), ("decision", 16), ("signature", SignatureChars));

    /// <summary>Field bounds of POST /api/v1/agents/{id}/report.</summary>
    public static readonly IReadOnlyDictionary<string, int> AgentReportFields = Fields(
        ("campaignId", IdChars), ("phase", IdChars), ("detail", DetailChars), ("version", VersionChars),
        ("site", IdChars), ("cluster", IdChars), ("redundancyGroup", IdChars));

    /// <summary>Field bounds of POST /api/v1/constellation.</summary>
    public static readonly IReadOnlyDictionary<string, int> ConstellationFields = Fields(
        ("root", HashChars), ("signedBy", HashChars), ("signature", SignatureChars), ("ca", CertificateChars),
        ("revokedKeys", ConstellationItems), ("revokedKeys[]", HashChars),
        ("nodes", ConstellationItems), ("approvers", ConstellationItems), ("operators", ConstellationItems), ("agents", ConstellationItems),
        ("nodes[].id", IdChars), ("approvers[].id", IdChars), ("operators[].id", IdChars), ("agents[].id", IdChars),
        ("nodes[].role", IdChars), ("approvers[].role", IdChars), ("operators[].role", IdChars), ("agents[].role", IdChars));

    /// <summary>Field bounds of the cancel body (a single flag: nothing to bound but the body).</summary>
    public static readonly IReadOnlyDictionary<string, int> NoFields = Fields();

    /// <summary>"name is 5,242,880 characters; at most 200", or null when within the bound (or absent).</summary>
    public static string? TooLong(string field, string? value, int max) =>
        value is { Length: var n } && n > max ? $"{field} is {N(n)} characters; at most {N(max)}" : null;

    /// <summary>"selector.sites has 10,000 items; at most 256", or null.</summary>
    public static string? TooMany<T>(string field, IReadOnlyCollection<T>? list, int max) =>
        list is { Count: var n } && n > max ? $"{field} has {N(n)} items; at most {N(max)}" : null;

    /// <summary>Adds the problem of a string over its bound (from <see cref="CampaignFields"/> and friends) to <paramref name="errors"/>.</summary>
    public static void Check(Dictionary<string, string[]> errors, IReadOnlyDictionary<string, int> bounds, string field, string? value, string? shown = null)
    {
        if (TooLong(shown ?? field, value, bounds[field]) is { } problem) errors[shown ?? field] = [problem];
    }

    /// <summary>Adds the problem of a list over its bound, and of each of its strings over theirs (field "[]").</summary>
    public static void CheckList(Dictionary<string, string[]> errors, IReadOnlyDictionary<string, int> bounds, string field, IReadOnlyList<string>? items)
    {
        if (items is null) return;
        if (TooMany(field, items, bounds[field]) is { } many) { errors[field] = [many]; return; }
        if (!bounds.TryGetValue(field + "[]", out var each)) return;
        for (var i = 0; i < items.Count; i++)
            if (TooLong($"{field}[{i}]", items[i], each) is { } problem) { errors[$"{field}[{i}]"] = [problem]; return; }
    }

    /// <summary>A figure as people read it: 5,242,880.</summary>
    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Declares an endpoint's JSON body: its largest size and its fields' bounds (for naming the field of an oversized body).</summary>
    public static TBuilder JsonBody<TBuilder>(this TBuilder builder, IReadOnlyDictionary<string, int> fields, int maxBytes = JsonBodyBytes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodyCap(maxBytes, fields));

    /// <summary>Declares an endpoint's raw body (artifact content, a bundle file): its largest size, or null for no cap of its own.</summary>
    public static TBuilder RawBody<TBuilder>(this TBuilder builder, long? maxBytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyCap(maxBytes, null));

    private static Dictionary<string, int> Fields(params (string Path, int Max)[] fields) =>
        fields.ToDictionary(f => f.Path, f => f.Max, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Endpoint metadata: the largest body an endpoint takes. As <see cref="IRequestSizeLimitMetadata"/> it sets Kestrel's
/// MaxRequestBodySize for the request; a JSON body (<see cref="Fields"/> set) is also held to <see cref="MaxBytes"/> by
/// <see cref="BodyCapMiddleware"/>, which reads an oversized one up to <see cref="BodyLimits.OversizedScanBytes"/> to say why.
/// </summary>
public sealed record BodyCap(long? MaxBytes, IReadOnlyDictionary<string, int>? Fields) : IRequestSizeLimitMetadata
{
    public bool IsJson => Fields is not null;

    /// <summary>What Kestrel enforces: the scan ceiling for JSON (the middleware enforces the cap itself), the cap for raw bodies.</summary>
    public long? MaxRequestBodySize => IsJson ? Math.Max(MaxBytes ?? 0, BodyLimits.OversizedScanBytes) : MaxBytes;
}
