using FsCheck.Xunit;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>LWW registers (ties on stamp broken by writer) and the control multi-value register.</summary>
[Properties(Arbitrary = [typeof(PropertyArbitraries)])]
public sealed class RegisterMergeProperties
{
    [Property]
    public void LwwStringMerge_ObeysSemilatticeLaws(Triple<LwwRegister<string>?> t) => MergeLaws.All(t, LwwRegister<string>.Merge);

    [Property]
    public void LwwIntMerge_ObeysSemilatticeLaws(Triple<LwwRegister<int>?> t) => MergeLaws.All(t, LwwRegister<int>.Merge);

    [Property]
    public void LwwMerge_AnyInputsEvenSameWriterAndStamp_ObeysSemilatticeLaws(Triple<LwwRegister<AnomalyPolicy?>?> t) =>
        MergeLaws.All(t, LwwRegister<AnomalyPolicy?>.Merge);

    [Property]
    public void LwwMerge_KeepsTheGreatestStampThenWriter(Triple<LwwRegister<string>?> t)
    {
        var merged = LwwRegister<string>.Merge(t.A, t.B);
        var candidates = new[] { t.A, t.B }.OfType<LwwRegister<string>>().ToArray();
        if (candidates.Length == 0) { Assert.Null(merged); return; }
        var best = candidates.OrderByDescending(r => r.Stamp.Value).ThenByDescending(r => r.Writer, StringComparer.Ordinal).First();
        Assert.Equal((best.Stamp, best.Writer), (merged!.Stamp, merged.Writer));
    }

    [Property]
    public void ControlRegisterMerge_ObeysSemilatticeLaws(Triple<MultiValueRegister<CampaignControl>?> t) =>
        MergeLaws.All(t, MultiValueRegister<CampaignControl>.Merge);
}
