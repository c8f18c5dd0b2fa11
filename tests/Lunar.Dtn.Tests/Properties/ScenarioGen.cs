using FsCheck;
using FsCheck.Fluent;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>
/// Generators of simulated scenarios and of values drawn from them. Scripts are short (4–28 steps) but
/// every step draws from tiny pools, so concurrent control writes and tied statuses are common; time
/// often stands still between steps, so replicas that have not heard from each other stamp alike.
/// </summary>
public static class ScenarioGen
{
    /// <summary>Any mix of writes and deliveries.</summary>
    public static Gen<Scenario> Mixed { get; } = Scenarios(
        (6, SimOpKind.DefineField), (6, SimOpKind.Control), (1, SimOpKind.RegisterArtifact), (1, SimOpKind.Approve),
        (1, SimOpKind.Revoke), (1, SimOpKind.RecordConstellation), (2, SimOpKind.SetInventory), (4, SimOpKind.SetStatus), (2, SimOpKind.SetNote),
        (5, SimOpKind.Deliver), (4, SimOpKind.SyncFrom));

    /// <summary>Only control writes and deliveries: dense causal histories of one register.</summary>
    public static Gen<Scenario> ControlOnly { get; } = Scenarios(
        (6, SimOpKind.Control), (3, SimOpKind.Deliver), (2, SimOpKind.SyncFrom));

    /// <summary>Mostly last-writer-wins writes, bunched in time: many writes per register, many exact stamp ties.</summary>
    public static Gen<Scenario> LwwHeavy { get; } = Scenarios(
        (10, SimOpKind.DefineField), (2, SimOpKind.SetInventory), (4, SimOpKind.SetNote), (2, SimOpKind.SetStatus),
        (2, SimOpKind.Deliver), (1, SimOpKind.SyncFrom));

    /// <summary>All three mixes.</summary>
    public static Gen<Scenario> Any { get; } = Gen.Frequency([(2, Mixed), (1, ControlOnly), (1, LwwHeavy)]);

    /// <summary>For properties of one control register.</summary>
    public static Gen<Scenario> ControlBiased { get; } = Gen.Frequency([(1, Mixed), (1, ControlOnly)]);

    /// <summary>For properties of last-writer-wins registers and the records made of them.</summary>
    public static Gen<Scenario> LwwBiased { get; } = Gen.Frequency([(1, Mixed), (2, LwwHeavy)]);

    public static Gen<Scenario> Scenarios(params (int Weight, SimOpKind Kind)[] mix) =>
        from replicas in Gen.Choose(2, 4)
        from length in Gen.Choose(4, 28)
        from ops in Op(mix).ArrayOf(length)
        select ReplicaSimulation.Run(replicas, ops);

    private static Gen<SimOp> Op((int Weight, SimOpKind Kind)[] mix) =>
        from kind in Gen.Frequency(mix.Select(m => (m.Weight, Gen.Constant(m.Kind))))
        from replica in Gen.Choose(0, 3)
        from key in Gen.Frequency([(4, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2))])
        from value in Gen.Choose(0, 19)
        from wall in Gen.Frequency([(5, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(3))])
        from other in Gen.Choose(0, 999)
        select new SimOp(kind, replica, key, value, wall, other);

    /// <summary>A state from the scenario: a replica's view, a single delta, or the join of any subset of deltas.</summary>
    public static Gen<ReplicaState> StateOf(Scenario s) =>
        s.Deltas.Count == 0
            ? Gen.Elements(s.Views.ToArray())
            : Gen.Frequency([
                (2, Gen.Elements(s.Views.ToArray())),
                (1, Gen.Elements(s.Deltas.Select(d => d.Fragment).ToArray())),
                (2, Gen.SubListOf(s.Deltas.Select(d => d.Fragment)).Select(Canon.Join)),
            ]);

    public static Gen<Triple<ReplicaState>> StateTriples(Gen<Scenario> scenarios) =>
        from s in scenarios
        from a in StateOf(s)
        from b in StateOf(s)
        from c in StateOf(s)
        select new Triple<ReplicaState>(a, b, c, s);

    /// <summary>
    /// Three versions of one record (same key) from one scenario: every distinct version that any delta,
    /// view or the full join holds, plus null for an absent entry. Contested keys (two or more versions)
    /// are preferred, and when <paramref name="rivals"/> finds a hard pair (an exact tie, say) half the
    /// triples contain one, so the losers of ties meet their winners.
    /// </summary>
    public static Gen<Triple<T?>> RecordTriples<T>(
        Gen<Scenario> scenarios, Func<ReplicaState, IEnumerable<(string Key, T? Value)>> extract, Func<T, T, bool>? rivals = null)
        where T : class =>
        from s in scenarios
        let versions = s.Pool.Append(s.JoinAll()).SelectMany(extract)
            .Where(kv => kv.Value is not null)
            .GroupBy(kv => kv.Key, kv => kv.Value!)
            .ToDictionary(g => g.Key, g => g.DistinctBy(v => Convert.ToHexString(Canon.Bytes(v))).ToArray())
        let hardPairs = rivals is null ? [] : versions
            .SelectMany(kv => kv.Value.SelectMany((x, i) => kv.Value.Skip(i + 1).Where(y => rivals(x, y)).Select(y => (kv.Key, X: x, Y: y))))
            .ToArray()
        from values in hardPairs.Length == 0
            ? AnyThree(versions)
            : Gen.Frequency([(1, AnyThree(versions)), (1, HardPairAndOne(hardPairs, versions))])
        select new Triple<T?>(values[0], values[1], values[2], s);

    private static Gen<T?[]> AnyThree<T>(Dictionary<string, T[]> versions) where T : class
    {
        var contested = versions.Keys.Where(k => versions[k].Length > 1).ToArray();
        var all = versions.Keys.ToArray();
        if (all.Length == 0) return Gen.Constant(new T?[3]);
        var key = contested.Length == 0 ? Gen.Elements(all) : Gen.Frequency([(4, Gen.Elements(contested)), (1, Gen.Elements(all))]);
        return key.SelectMany(k => VersionOrAbsent(versions[k]).ArrayOf(3));
    }

    private static Gen<T?[]> HardPairAndOne<T>((string Key, T X, T Y)[] pairs, Dictionary<string, T[]> versions) where T : class =>
        from pair in Gen.Elements(pairs)
        from third in VersionOrAbsent(versions[pair.Key])
        from order in Gen.Shuffle(new[] { pair.X, pair.Y, third })
        select order;

    private static Gen<T?> VersionOrAbsent<T>(T[] versions) where T : class =>
        Gen.Frequency([(8, Gen.Elements<T?>(versions)), (1, Gen.Constant<T?>(null))]);
}
