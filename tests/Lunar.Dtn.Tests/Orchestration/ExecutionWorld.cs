using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Simulator.Fleet;
using Lunar.Dtn.Simulator.Invariants;
using Lunar.Dtn.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Tests.Orchestration;

/// <summary>
/// A Moon executor with a simulated fleet and the invariant monitor, on one fake clock starting at 00:00 UTC.
/// Seeded: the fleet's shape and behaviour and the operators' actions all follow from the seed.
/// </summary>
public sealed class ExecutionWorld
{
    public const string Artifact = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
    public static readonly QuorumPolicy Policy = QuorumPolicy.Default;

    /// <param name="store">The Moon replica's store (in memory unless a test brings one, e.g. a store that fails on purpose).</param>
    public ExecutionWorld(int seed, int servers = 60, FleetBehaviour? behaviour = null, ExecutorOptions? options = null, IReplicaStore? store = null)
    {
        Seed = seed;
        Time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Trust = SimulationKeys.Trust(["earth", "moon"], [("alice", "flight-director"), ("bob", "base-lead"), ("carol", "flight-director")]);
        Moon = new Replica(new ReplicaOptions { Id = "moon" }, SimulationKeys.For("moon"), Trust, store ?? new MemoryReplicaStore(), Time);
        Executor = new Executor(Moon, options ?? new ExecutorOptions { StagingGreenFailureShare = 0.34 }, Policy);
        Monitor = new ExecutionMonitor(Executor, Time, () => Trust, Policy);
        var random = new Random(seed);
        var fleet = Enumerable.Range(0, servers).Select(i =>
        {
            var staging = i < servers / 10;
            var tier = staging ? 3 : i % 10 < 2 ? 1 : i % 10 < 5 ? 2 : 3;
            return new FleetServer($"srv-{i:D4}", i % 2 == 0 ? "alpha" : "beta", $"k{i % 4}", tier, $"g{tier}-{i / 3}", staging);
        }).ToArray();
        Fleet = new SimulatedFleet(Executor, Time, fleet, behaviour ?? new FleetBehaviour { FailureRate = random.NextDouble() * 0.1, SilenceRate = 0.03 }, seed);
        Fleet.RegisterAll();
        Moon.RegisterArtifact(new ArtifactRecord(Artifact, "lunar-os", "2.4.0", Artifact, 100_000_000, "earth", 0), "test");
    }

    public int Seed { get; }
    public FakeTimeProvider Time { get; }
    public TrustStore Trust { get; }
    public Replica Moon { get; }
    public Executor Executor { get; }
    public ExecutionMonitor Monitor { get; }
    public SimulatedFleet Fleet { get; }

    public string CreateCampaign(string id, bool approvalRequired, int concurrency = 8, int batch = 4, AnomalyPolicy? anomaly = null,
        IReadOnlyList<MaintenanceWindow>? tier2 = null)
    {
        Moon.DefineCampaign(id, "ops", ctx => new CampaignDefinition
        {
            Name = new(id, ctx.Stamp, ctx.ReplicaId),
            ArtifactId = new(Artifact, ctx.Stamp, ctx.ReplicaId),
            Selector = new(CampaignSelector.All, ctx.Stamp, ctx.ReplicaId),
            BatchSize = new(batch, ctx.Stamp, ctx.ReplicaId),
            ConcurrencyLimit = new(concurrency, ctx.Stamp, ctx.ReplicaId),
            PauseOnAnomaly = new(anomaly, ctx.Stamp, ctx.ReplicaId),
            Tier2Windows = new(tier2 ?? [new MaintenanceWindow("22:00", "06:00")], ctx.Stamp, ctx.ReplicaId),
            ApprovalRequired = new(approvalRequired, ctx.Stamp, ctx.ReplicaId),
        });
        return id;
    }

    /// <summary>An approver signs the campaign's current content hash.</summary>
    public ApprovalRecord Sign(string campaignId, string approver, string role, string? contentHash = null)
    {
        var hash = contentHash ?? Moon.Read((s, _) => s.Campaigns[campaignId].Definition!.ContentHash(campaignId));
        var at = Time.GetUtcNow().ToUnixTimeMilliseconds();
        using var key = SimulationKeys.For(approver);
        var sig = key.Sign(ApprovalRecord.SigningBytes(campaignId, hash, ApprovalDecision.Approve, approver, role, at));
        return new ApprovalRecord(ApprovalRecord.IdFor(sig), campaignId, hash, ApprovalDecision.Approve, approver, role, at, sig);
    }

    public void Approve(string campaignId)
    {
        Moon.AddApproval(Sign(campaignId, "alice", "flight-director"));
        Moon.AddApproval(Sign(campaignId, "bob", "base-lead"));
    }

    /// <summary>Advances time in steps, running a scheduling pass and the agents at each, until done or the budget is spent.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan budget, TimeSpan? step = null, Action<TimeSpan>? everyStep = null)
    {
        var start = Time.GetUtcNow();
        var s = step ?? TimeSpan.FromSeconds(30);
        var n = 0;
        while (Time.GetUtcNow() - start < budget)
        {
            Executor.Tick();
            Fleet.PollAssignments();
            if (n++ % 20 == 0 && done()) return true;
            everyStep?.Invoke(Time.GetUtcNow() - start);
            Time.Advance(s);
        }
        return done();
    }

    public CampaignView View(string id) => Moon.Read((s, _) => CampaignView.Build(s, id, Trust, Policy))!;

    /// <summary>Staging finished with more rollbacks than the executor accepts as green.</summary>
    public bool StagingRed(string id)
    {
        var staging = Fleet.Servers.Where(s => s.Staging).Select(s => s.Id).ToHashSet();
        var rolledBack = Moon.Read((st, _) => staging.Count(sid => st.Servers[sid].Status?.OutcomeOf(id) == UpgradePhase.RolledBack));
        return rolledBack > 0.34 * staging.Count;
    }

    public bool Finished(string id) => View(id).State is "completed" or "cancelled";

    public string Describe() => $"seed {Seed}: violations [{string.Join("; ", Monitor.Violations.Take(5))}], refusals [{string.Join("; ", Fleet.Refusals.Take(3))}], " +
        "unfinished [" + string.Join("; ", Moon.Read((s, _) => s.Servers.Where(kv => kv.Value.Status is not { } st || !st.Phase.IsFinal())
            .Take(5).Select(kv => $"{kv.Key} {kv.Value.Status?.Phase.ToName() ?? "idle"} tier {kv.Value.Inventory?.Tier?.Value} {kv.Value.Status?.Detail}"))) + "]";
}
