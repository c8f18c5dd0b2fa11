using FsCheck;
using FsCheck.Fluent;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>Arbitraries for the property classes (register with [Properties(Arbitrary = ...)]).</summary>
public static class PropertyArbitraries
{
    public static Arbitrary<Triple<ReplicaState>> States() => ScenarioGen.StateTriples(ScenarioGen.Any).ToArbitrary();

    public static Arbitrary<Triple<CampaignRecord?>> Campaigns() =>
        ScenarioGen.RecordTriples(ScenarioGen.ControlBiased, s => s.Campaigns.Select(kv => (kv.Key, (CampaignRecord?)kv.Value))).ToArbitrary();

    public static Arbitrary<Triple<CampaignDefinition?>> Definitions() =>
        ScenarioGen.RecordTriples(ScenarioGen.LwwBiased, s => s.Campaigns.Select(kv => (kv.Key, kv.Value.Definition)),
            (x, y) => x.Name is { } a && y.Name is { } b && TiedLww(a, b)).ToArbitrary();

    public static Arbitrary<Triple<MultiValueRegister<CampaignControl>?>> Controls() =>
        ScenarioGen.RecordTriples(ScenarioGen.ControlBiased, s => s.Campaigns.Select(kv => (kv.Key, kv.Value.Control)),
            (x, y) => x.IsConflicted || y.IsConflicted).ToArbitrary();

    public static Arbitrary<Triple<LwwRegister<string>?>> StringRegisters() =>
        ScenarioGen.RecordTriples(ScenarioGen.LwwBiased, s =>
            s.Campaigns.Select(kv => ("name/" + kv.Key, kv.Value.Definition?.Name))
                .Concat(s.Servers.Select(kv => ("note/" + kv.Key, kv.Value.Note)))
                .Concat(s.Servers.Select(kv => ("owner/" + kv.Key, kv.Value.Inventory?.OwnerNode))), TiedLww).ToArbitrary();

    public static Arbitrary<Triple<LwwRegister<int>?>> IntRegisters() =>
        ScenarioGen.RecordTriples(ScenarioGen.LwwBiased, s =>
            s.Campaigns.Select(kv => ("batch/" + kv.Key, kv.Value.Definition?.BatchSize))
                .Concat(s.Servers.Select(kv => ("tier/" + kv.Key, kv.Value.Inventory?.Tier))), TiedLww).ToArbitrary();

    public static Arbitrary<Triple<ServerRecord?>> Servers() =>
        ScenarioGen.RecordTriples(ScenarioGen.LwwBiased, s => s.Servers.Select(kv => (kv.Key, (ServerRecord?)kv.Value))).ToArbitrary();

    public static Arbitrary<Triple<ServerInventory?>> Inventories() =>
        ScenarioGen.RecordTriples(ScenarioGen.LwwBiased, s => s.Servers.Select(kv => (kv.Key, kv.Value.Inventory))).ToArbitrary();

    public static Arbitrary<Triple<ServerStatus?>> Statuses() =>
        ScenarioGen.RecordTriples(ScenarioGen.LwwBiased, s => s.Servers.Select(kv => (kv.Key, kv.Value.Status)),
            (x, y) => (x.Attempt, x.Seq) == (y.Attempt, y.Seq)).ToArbitrary();

    /// <summary>
    /// Unconstrained policy registers: one writer may stamp two values alike (HLC forbids it, the merge must
    /// still be deterministic), and the values include 0.0, -0.0 and NaN.
    /// </summary>
    public static Arbitrary<Triple<LwwRegister<AnomalyPolicy?>?>> PolicyRegisters()
    {
        AnomalyPolicy?[] values = [null, new(0.0, 10), new(-0.0, 10), new(double.NaN, 10), new(0.25, 10), new(0.25, 20)];
        var register =
            from value in Gen.Elements(values)
            from counter in Gen.Choose(0, 1)
            from writer in Gen.Elements("earth", "moon")
            select new LwwRegister<AnomalyPolicy?>(value, HlcTimestamp.From(1_800_000_000_000, counter), writer);
        var orAbsent = Gen.Frequency([(8, register.Select(r => (LwwRegister<AnomalyPolicy?>?)r)), (1, Gen.Constant<LwwRegister<AnomalyPolicy?>?>(null))]);
        return (from a in orAbsent from b in orAbsent from c in orAbsent select new Triple<LwwRegister<AnomalyPolicy?>?>(a, b, c, null)).ToArbitrary();
    }

    /// <summary>Two writes of one register with the same hybrid stamp by different writers: the writer decides.</summary>
    private static bool TiedLww<T>(LwwRegister<T> x, LwwRegister<T> y) => x.Stamp == y.Stamp && x.Writer != y.Writer;

    public static Arbitrary<ControlHistory> ControlHistories() => ControlGen.Histories.ToArbitrary();

    public static Arbitrary<VersionVector> Vectors() => VectorGen.Vectors.ToArbitrary();
}
