using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// Runs a sync workload on two real replicas over a simulated link on a fake clock: A writes the init
/// lines and both converge; the link is cut; A makes the transitions and B the holds; the link is
/// restored and the two peer syncs catch up exactly as after a blackout. Bytes are what the link carried.
/// </summary>
public static class SyncBenchmark
{
    /// <summary>A: the executor that writes server status (the Moon). B: the other replica (Earth).</summary>
    public const string ReplicaA = "moon";
    public const string ReplicaB = "earth";

    /// <summary>
    /// Runs the workload <paramref name="runs"/> times on fresh replicas. Bytes, hops and fingerprints are
    /// deterministic and must agree; the timings reported are the medians, every run's kept beside them.
    /// </summary>
    public static SyncBenchReport RunMany(SyncWorkload workload, int runs, TimeSpan? oneWayDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        var reports = Enumerable.Range(0, runs).Select(_ => Run(workload, oneWayDelay)).ToArray();
        var first = reports[0];
        if (reports.Any(r => r.BytesAtoB != first.BytesAtoB || r.BytesBtoA != first.BytesBtoA || r.Hops != first.Hops || r.FingerprintA != first.FingerprintA))
            throw new InvalidOperationException("runs of the same workload disagree on bytes, hops or final state: the benchmark is not deterministic");
        var generate = reports.Select(r => r.GenerateMs).ToArray();
        var merge = reports.Select(r => r.MergeMs).ToArray();
        return first with
        {
            Runs = runs,
            GenerateMs = Median(generate),
            MergeMs = Median(merge),
            GenerateCpuMs = reports.All(r => r.GenerateCpuMs is not null) ? Median(reports.Select(r => r.GenerateCpuMs!.Value).ToArray()) : null,
            MergeCpuMs = reports.All(r => r.MergeCpuMs is not null) ? Median(reports.Select(r => r.MergeCpuMs!.Value).ToArray()) : null,
            GenerateMsRuns = generate,
            MergeMsRuns = merge,
            Converged = reports.All(r => r.Converged),
        };
    }

    public static SyncBenchReport Run(SyncWorkload workload, TimeSpan? oneWayDelay = null)
    {
        var delay = oneWayDelay ?? TimeSpan.FromSeconds(1);
        var step = delay / 100;
        var fineStep = delay / 1000;
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(workload.Inits.Min(i => i.Ts)));
        using var keyA = SimulationKeys.For(ReplicaA);
        using var keyB = SimulationKeys.For(ReplicaB);
        var trust = SimulationKeys.Trust([ReplicaA, ReplicaB]);
        var a = NewReplica(ReplicaA, ReplicaB, keyA, trust, time);
        var b = NewReplica(ReplicaB, ReplicaA, keyB, trust, time);
        var link = new SimulatedLink(ReplicaA, ReplicaB, new LinkConditions { OneWayDelay = delay }, time, new Random(1));
        var endA = new MeteredLink(link.A);
        var endB = new MeteredLink(link.B);
        using var syncA = new PeerSync(a, endA);
        using var syncB = new PeerSync(b, endB);
        bool Settled() => syncA.Outstanding == 0 && syncB.Outstanding == 0 && a.Fingerprint() == b.Fingerprint();

        // 1. The shared starting point: A writes every init line, then both converge (and fold their logs).
        foreach (var init in workload.Inits) WriteInit(a, init);
        if (!RunUntil(time, Settled, delay * 100, step))
            throw new InvalidOperationException("the replicas did not converge on the init lines");

        // 2. The cut-off: transitions on A, holds on B, in file order, each its own change, on a clock that follows the workload.
        link.Cut();
        foreach (var change in workload.Changes)
        {
            AdvanceTo(time, change.AtMs);
            switch (change)
            {
                case WorkloadTransition t: WriteTransition(a, t); break;
                case WorkloadHold h: b.SetNote(h.Id, h.Hold, "operator"); break;
            }
        }

        // 3. The link comes back: measure until both replicas are identical, then until every ack has landed.
        var (bytesA, bytesB, bundlesA, bundlesB) = (link.A.BytesSent, link.B.BytesSent, link.A.BundlesSent, link.B.BundlesSent);
        endA.ResetMeters();
        endB.ResetMeters();
        var restoredAt = time.GetUtcNow();
        var lastChange = restoredAt;
        var dirty = true;
        void OnChanged() { dirty = true; lastChange = time.GetUtcNow(); }
        a.Changed += OnChanged;
        b.Changed += OnChanged;
        link.Restore();
        DateTimeOffset? identicalAt = null;
        var budgetEnd = restoredAt + delay * 100;
        while (identicalAt is null && time.GetUtcNow() < budgetEnd)
        {
            if (dirty)
            {
                dirty = false;
                if (a.Fingerprint() == b.Fingerprint()) { identicalAt = lastChange; break; }
            }
            time.Advance(fineStep); // fine steps: a change is stamped with the end of the step it happened in
        }
        a.Changed -= OnChanged;
        b.Changed -= OnChanged;
        RunUntil(time, () => syncA.Outstanding == 0 && syncB.Outstanding == 0, delay * 100, step);
        time.Advance(delay * 3); // let trailing acknowledgements cross too: they count

        var elapsed = (identicalAt ?? time.GetUtcNow()) - restoredAt;
        var floor = InformationFloor.Compute(workload);
        var (fa, fb) = (a.Fingerprint(), b.Fingerprint());
        return new SyncBenchReport
        {
            Workload = workload.Source,
            ReplicaA = ReplicaA,
            ReplicaB = ReplicaB,
            Servers = workload.Inits.Count,
            Transitions = workload.Transitions.Count(),
            Holds = workload.Holds.Count(),
            OneWayDelayMs = delay.TotalMilliseconds,
            BytesAtoB = link.A.BytesSent - bytesA,
            BytesBtoA = link.B.BytesSent - bytesB,
            BundlesAtoB = (int)(link.A.BundlesSent - bundlesA),
            BundlesBtoA = (int)(link.B.BundlesSent - bundlesB),
            CatchUpBytesAtoB = endA.SentByKind.GetValueOrDefault(BundleKind.Deltas).Bytes,
            Hops = identicalAt is null ? -1 : HopsIn(elapsed, delay),
            ConvergedAfterMs = elapsed.TotalMilliseconds,
            GenerateMs = endA.LinkUpHandling.TotalMilliseconds,
            MergeMs = endB.DeltasHandling.TotalMilliseconds,
            GenerateCpuMs = endA.LinkUpCpu?.TotalMilliseconds,
            MergeCpuMs = endB.DeltasCpu?.TotalMilliseconds,
            GenerateMsRuns = [endA.LinkUpHandling.TotalMilliseconds],
            MergeMsRuns = [endB.DeltasHandling.TotalMilliseconds],
            Converged = fa == fb,
            FloorBytesAtoB = floor.AtoBBytes,
            FloorBytesBtoA = floor.BtoABytes,
            FingerprintA = fa,
            FingerprintB = fb,
        };
    }

    /// <summary>
    /// Whole one-way delays in <paramref name="elapsed"/>. Every hop takes exactly one delay in flight plus
    /// the protocol's own batching (at most 50 ms, and sub-millisecond link scheduling), far less than a
    /// delay of 1 s, so the count is exact; rounding up would count that scheduling as a further hop.
    /// </summary>
    public static int HopsIn(TimeSpan elapsed, TimeSpan delay) => (int)(elapsed.Ticks / delay.Ticks);

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static Replica NewReplica(string id, string peer, NodeKey key, TrustStore trust, TimeProvider time) =>
        new(new ReplicaOptions { Id = id, Peers = [peer] }, key, trust, new MemoryReplicaStore(), time);

    private static void WriteInit(Replica a, WorkloadInit init)
    {
        a.SetInventory(init.Id, ctx => new ServerInventory { Cluster = new(init.Rack, ctx.Stamp, ctx.ReplicaId) });
        a.SetStatus(init.Id, (_, seq) => new ServerStatus(init.Campaign, 1, seq, WorkloadStatuses.ToPhase(init.Status), init.Ts, init.Version, null, 0));
    }

    private static void WriteTransition(Replica a, WorkloadTransition t) =>
        a.SetStatus(t.Id, (current, seq) => new ServerStatus(current?.CampaignId ?? "", current?.Attempt ?? 1, seq,
            WorkloadStatuses.ToPhase(t.Status), t.Ts, t.Version ?? current?.Version, current?.Detail, current?.RollbackCount ?? 0));

    private static void AdvanceTo(FakeTimeProvider time, long ms)
    {
        var target = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (target > time.GetUtcNow()) time.Advance(target - time.GetUtcNow());
    }

    private static bool RunUntil(FakeTimeProvider time, Func<bool> done, TimeSpan budget, TimeSpan step)
    {
        var end = time.GetUtcNow() + budget;
        while (time.GetUtcNow() < end)
        {
            if (done()) return true;
            time.Advance(step);
        }
        return done();
    }
}
