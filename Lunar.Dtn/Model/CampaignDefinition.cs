using System.Security.Cryptography;
using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>
/// What a campaign is: each field is its own last-writer-wins register, so Earth and the Moon may edit
/// different fields concurrently and both edits survive. A delta carries only the fields it sets.
/// </summary>
[MessagePackObject]
public sealed record CampaignDefinition
{
    [Key(0)] public LwwRegister<string>? Name { get; init; }
    [Key(1)] public LwwRegister<string>? ArtifactId { get; init; }
    [Key(2)] public LwwRegister<CampaignSelector>? Selector { get; init; }
    [Key(3)] public LwwRegister<int>? BatchSize { get; init; }
    [Key(4)] public LwwRegister<int>? ConcurrencyLimit { get; init; }
    [Key(5)] public LwwRegister<AnomalyPolicy?>? PauseOnAnomaly { get; init; }
    [Key(6)] public LwwRegister<IReadOnlyList<MaintenanceWindow>>? Tier2Windows { get; init; }
    [Key(7)] public LwwRegister<bool>? ApprovalRequired { get; init; }
    /// <summary>Who created it and when; written once by the creator.</summary>
    [Key(8)] public LwwRegister<string>? CreatedBy { get; init; }

    public static CampaignDefinition? Merge(CampaignDefinition? a, CampaignDefinition? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        return new CampaignDefinition
        {
            Name = LwwRegister<string>.Merge(a.Name, b.Name),
            ArtifactId = LwwRegister<string>.Merge(a.ArtifactId, b.ArtifactId),
            Selector = LwwRegister<CampaignSelector>.Merge(a.Selector, b.Selector),
            BatchSize = LwwRegister<int>.Merge(a.BatchSize, b.BatchSize),
            ConcurrencyLimit = LwwRegister<int>.Merge(a.ConcurrencyLimit, b.ConcurrencyLimit),
            PauseOnAnomaly = LwwRegister<AnomalyPolicy?>.Merge(a.PauseOnAnomaly, b.PauseOnAnomaly),
            Tier2Windows = LwwRegister<IReadOnlyList<MaintenanceWindow>>.Merge(a.Tier2Windows, b.Tier2Windows),
            ApprovalRequired = LwwRegister<bool>.Merge(a.ApprovalRequired, b.ApprovalRequired),
            CreatedBy = LwwRegister<string>.Merge(a.CreatedBy, b.CreatedBy),
        };
    }

    /// <summary>
    /// SHA-256 (hex) of the values that matter for safety. Approvers sign this; any change to the
    /// campaign after signing gives another hash, and the old approvals stop counting.
    /// </summary>
    public string ContentHash(string campaignId)
    {
        var canonical = Serialization.Serialize(new object?[]
        {
            campaignId, Name?.Value, ArtifactId?.Value,
            Selector?.Value.Sites.ToArray(), Selector?.Value.Clusters.ToArray(), Selector?.Value.Tiers.ToArray(),
            BatchSize?.Value, ConcurrencyLimit?.Value,
            PauseOnAnomaly?.Value?.FailureRate, PauseOnAnomaly?.Value?.Window,
            Tier2Windows?.Value.Select(w => w.Start + "-" + w.End).ToArray(),
            ApprovalRequired?.Value,
        });
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }
}
