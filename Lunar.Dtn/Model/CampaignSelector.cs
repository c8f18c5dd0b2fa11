using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>Which servers a campaign targets. An empty list means "all" for that dimension.</summary>
[MessagePackObject]
public sealed record CampaignSelector(
    [property: Key(0)] IReadOnlyList<string> Sites,
    [property: Key(1)] IReadOnlyList<string> Clusters,
    [property: Key(2)] IReadOnlyList<int> Tiers)
{
    public static readonly CampaignSelector All = new([], [], []);

    public bool Matches(string site, string cluster, int tier) =>
        (Sites.Count == 0 || Sites.Contains(site)) &&
        (Clusters.Count == 0 || Clusters.Contains(cluster)) &&
        (Tiers.Count == 0 || Tiers.Contains(tier));

    public bool Equals(CampaignSelector? other) =>
        other is not null && Sites.SequenceEqual(other.Sites) && Clusters.SequenceEqual(other.Clusters) && Tiers.SequenceEqual(other.Tiers);

    public override int GetHashCode() => HashCode.Combine(Sites.Count, Clusters.Count, Tiers.Count);
}
