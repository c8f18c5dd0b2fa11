using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>
/// The control merge rule restated independently of MultiValueRegister: a write is superseded when any
/// other delivered write had seen it (its dot is in that write's context); cancel anywhere is final;
/// otherwise the safest of the writes nobody superseded is in force.
/// </summary>
public static class ControlOracle
{
    public static CampaignControl? Expected(IReadOnlyList<SimDelta> delivered)
    {
        var writes = delivered.Select(d => d.Fragment.Campaigns.Values.Single().Control!).ToArray();
        if (writes.Length == 0) return null;
        if (writes.Any(w => w.Entries.Single().Value == CampaignControl.Cancel)) return CampaignControl.Cancel;
        return Unsuperseded(delivered).Max();
    }

    /// <summary>The values of the writes that no other delivered write had seen.</summary>
    public static IReadOnlyList<CampaignControl> Unsuperseded(IReadOnlyList<SimDelta> delivered)
    {
        var writes = delivered.Select(d => d.Fragment.Campaigns.Values.Single().Control!).ToArray();
        return writes
            .Where(w => !writes.Any(o => o.Entries[0].Dot != w.Entries[0].Dot && o.Context.Contains(w.Entries[0].Dot)))
            .Select(w => w.Entries[0].Value)
            .ToArray();
    }
}
