using FsCheck;
using FsCheck.Fluent;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>Control histories of one campaign, taken from control-heavy scenarios.</summary>
public static class ControlGen
{
    public static Gen<ControlHistory> Histories { get; } =
        from s in ScenarioGen.ControlOnly
        let campaigns = s.Deltas.Where(d => d.Kind == SimOpKind.Control).Select(d => d.Key).Distinct().ToArray()
        from id in campaigns.Length == 0 ? Gen.Constant("c1") : Gen.Elements(campaigns)
        let writes = s.Deltas.Where(d => d.Kind == SimOpKind.Control && d.Key == id).ToArray()
        from shuffled in Gen.Shuffle(writes)
        from subset in Gen.SubListOf(writes.AsEnumerable())
        from subsetOrder in Gen.Shuffle(subset.ToArray())
        select new ControlHistory(id, writes, shuffled, subsetOrder, s);
}
