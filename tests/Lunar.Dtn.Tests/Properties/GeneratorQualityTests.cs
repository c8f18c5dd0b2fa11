using FsCheck;
using FsCheck.Fluent;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>
/// The merge properties are only as strong as their inputs: these measure, over fixed-seed samples of the
/// generators the properties use, how often the hard cases occur, and fail if a generator drifts to trivial inputs.
/// </summary>
public sealed class GeneratorQualityTests(ITestOutputHelper output)
{
    private const int Samples = 200;

    private static readonly Scenario[] Any = ScenarioGen.Any.Sample(Samples, new Rnd(20270101UL), 50);
    private static readonly Scenario[] LwwBiased = ScenarioGen.LwwBiased.Sample(Samples, new Rnd(20270102UL), 50);
    private static readonly ControlHistory[] Controls = ControlGen.Histories.Sample(Samples, new Rnd(20270103UL), 50);
    private static readonly Triple<ReplicaState>[] States = ScenarioGen.StateTriples(ScenarioGen.Any).Sample(Samples, new Rnd(20270104UL), 50);

    [Fact]
    public void Scenarios_OftenEndWithConflictedControlRegister() =>
        AtLeast(0.2, Any, s => s.JoinAll().Campaigns.Values.Any(c => c.Control is { IsConflicted: true }), "conflicted control after full delivery");

    [Fact]
    public void StateTriples_OftenHoldAConflictedControlRegister() =>
        AtLeast(0.15, States, t => new[] { t.A, t.B, t.C }.Any(s => s.Campaigns.Values.Any(c => c.Control is { IsConflicted: true })),
            "a state of the triple holds a conflicted control");

    [Fact]
    public void StateTriples_AreMostlyConcurrentNotOrdered() =>
        AtLeast(0.4, States, t => !Canon.Same(Canon.Merge(t.A, t.B), t.A) && !Canon.Same(Canon.Merge(t.A, t.B), t.B),
            "A and B each hold something the other lacks");

    [Fact]
    public void LwwScenarios_OftenHaveEqualStampWritesByDifferentWritersWithDifferentValues()
    {
        AtLeast(0.15, LwwBiased, HasLwwTie, "equal-stamp LWW tie across writers (LWW generator)");
        AtLeast(0.08, Any, HasLwwTie, "equal-stamp LWW tie across writers (state generator)");
    }

    [Fact]
    public void LwwRegisterTriples_OftenPutEqualStampsFromDifferentWritersSideBySide() =>
        AtLeast(0.1, PropertyArbitraries.StringRegisters().Generator.Sample(Samples, new Rnd(20270105UL), 50),
            t => Pairs(t).Any(p => p.X is { } x && p.Y is { } y && x.Stamp == y.Stamp && x.Writer != y.Writer),
            "LWW triple with an equal-stamp pair by different writers");

    [Fact]
    public void StatusTriples_OftenPutEqualAttemptAndSeqSideBySide() =>
        AtLeast(0.1, PropertyArbitraries.Statuses().Generator.Sample(Samples, new Rnd(20270106UL), 50),
            t => Pairs(t).Any(p => p.X is { } x && p.Y is { } y && (x.Attempt, x.Seq) == (y.Attempt, y.Seq) && !Canon.Same(x, y)),
            "status triple with a different pair tied on (attempt, seq)");

    [Fact]
    public void Scenarios_OftenHaveConcurrentStatusWritesWithEqualAttemptAndSeq()
    {
        AtLeast(0.15, LwwBiased, HasStatusTie, "status tie on (attempt, seq) (record generator)");
        AtLeast(0.1, Any, HasStatusTie, "status tie on (attempt, seq) (state generator)");
    }

    [Fact]
    public void Scenarios_OftenHaveAuditFromSeveralReplicas() =>
        AtLeast(0.5, Any, s => s.JoinAll().Audit.Values.Select(e => e.Replica).Distinct().Count() >= 2, "audit from 2+ replicas");

    [Fact]
    public void Scenarios_SometimesRegisterOneArtifactIdWithDifferentRecords() =>
        AtLeast(0.02, Any, s => s.Deltas.SelectMany(d => d.Fragment.Artifacts.Values).GroupBy(a => a.Id)
            .Any(g => g.Select(Canon.Json).Distinct().Count() > 1), "one artifact id, two records");

    [Fact]
    public void Scenarios_SometimesRecordOneConstellationVersionWithDifferentRecords() =>
        AtLeast(0.02, Any, s => s.Deltas.SelectMany(d => d.Fragment.Constellations.Values).GroupBy(c => c.Version)
            .Any(g => g.Select(Canon.Json).Distinct().Count() > 1), "one constellation version, two records");

    [Fact]
    public void Scenarios_OftenLeaveReplicasDiverged() =>
        AtLeast(0.5, Any, s => s.Views.Select(v => v.Fingerprint()).Distinct().Count() > 1, "replica views differ at the end");

    [Fact]
    public void ControlHistories_OftenLeavePauseAndRunUnsupersededTogether() =>
        AtLeast(0.15, Controls, h =>
        {
            var top = ControlOracle.Unsuperseded(h.Writes);
            return top.Contains(CampaignControl.Pause) && top.Contains(CampaignControl.Run);
        }, "concurrent pause and run survive");

    [Fact]
    public void ControlHistories_OftenHaveThreeOrMoreConcurrentWrites() =>
        AtLeast(0.1, Controls, h => ControlOracle.Unsuperseded(h.Writes).Count >= 3, "3+ unsuperseded writes");

    [Fact]
    public void ControlHistories_BalanceCancelledAndNotCancelled()
    {
        AtLeast(0.2, Controls, h => ControlOracle.Expected(h.Writes) == CampaignControl.Cancel, "history contains a cancel");
        AtLeast(0.3, Controls, h => ControlOracle.Expected(h.Writes) is CampaignControl.Run or CampaignControl.Pause, "history without cancel");
    }

    [Fact]
    public void ControlHistories_OftenHaveSubsetsWhoseOutcomeDiffersFromTheFullHistory() =>
        AtLeast(0.15, Controls, h => ControlOracle.Expected(h.Subset) != ControlOracle.Expected(h.Writes), "partial delivery changes the outcome");

    private static IEnumerable<(T X, T Y)> Pairs<T>(Triple<T> t) => [(t.A, t.B), (t.B, t.C), (t.A, t.C)];

    private static bool HasLwwTie(Scenario s) =>
        s.LwwWrites.GroupBy(w => (w.Register, w.Stamp))
            .Any(g => g.Select(w => w.Writer).Distinct().Count() > 1 && g.Select(w => w.ValueHex).Distinct().Count() > 1);

    private static bool HasStatusTie(Scenario s) =>
        s.StatusWrites.GroupBy(w => (w.ServerId, w.Attempt, w.Seq))
            .Any(g => g.Select(w => w.Writer).Distinct().Count() > 1 && g.Select(w => w.ValueHex).Distinct().Count() > 1);

    private void AtLeast<T>(double minimum, IReadOnlyList<T> samples, Func<T, bool> hard, string what)
    {
        var share = samples.Count(hard) / (double)samples.Count;
        output.WriteLine($"{what}: {share:P1} of {samples.Count} samples (minimum {minimum:P0})");
        Assert.True(share >= minimum, $"generator too weak: {what} in only {share:P1} of samples, expected at least {minimum:P0}");
    }
}
