using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>A campaign as replicated: its definition (per-field LWW) and its control register.</summary>
[MessagePackObject]
public sealed record CampaignRecord(
    [property: Key(0)] CampaignDefinition? Definition,
    [property: Key(1)] MultiValueRegister<CampaignControl>? Control,
    [property: Key(2)] bool CancelSeen)
{
    public static CampaignRecord Merge(CampaignRecord? a, CampaignRecord b)
    {
        if (a is null) return b;
        return new CampaignRecord(
            CampaignDefinition.Merge(a.Definition, b.Definition),
            MultiValueRegister<CampaignControl>.Merge(a.Control, b.Control),
            a.CancelSeen || b.CancelSeen);
    }

    /// <summary>
    /// The control in force: cancel is final once seen; otherwise, among writes that did not see each
    /// other, the safest (cancel &gt; pause &gt; run). Null before any control write.
    /// </summary>
    [IgnoreMember]
    public CampaignControl? EffectiveControl =>
        CancelSeen ? CampaignControl.Cancel
        : Control is { Entries.Count: > 0 } c ? c.Entries.Max(e => e.Value)
        : null;
}
