using System.Globalization;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Simulator.Scenarios;

namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// What no scheduler could beat for a run, from three bounds that each hold on their own, computed on the work the
/// run's servers actually needed (each server's drawn upgrade time, or time to fail and roll back):
/// all work at full concurrency; Tier 2 work only starting inside its windows; and Tier 1 waiting for the staging
/// pool, then one server per redundancy group at a time.
/// </summary>
public static class LowerBound
{
    /// <param name="work">Busy hours per tier, and of the staging pool (key 0).</param>
    /// <param name="crossing">The artifact's first crossing of the Earth link and the work that must follow it; null: not counted.</param>
    public static (double Hours, string Explanation) Of(Scenario s, IReadOnlyDictionary<int, double> work, ArtifactCrossing? crossing = null)
    {
        var mean = s.MeanMinutes / 60.0;
        var c = s.Concurrency;
        var rest = s.Servers - s.StagingPool;
        var n1 = (int)Math.Round(rest * s.TierShares.GetValueOrDefault(1));
        var n2 = (int)Math.Round(rest * s.TierShares.GetValueOrDefault(2));
        var total = work.Values.Sum();
        // With Tier 1 nodes each executor has its own slots: the Moon's work on its own slots, all the work on every slot at once.
        var executors = 1 + s.Tier1Nodes;
        var moonWork = s.Tier1Nodes > 0 ? total - work.GetValueOrDefault(1) : total;
        var all = Math.Max(moonWork / c, total / (c * executors));
        var tier2 = n2 == 0 ? 0 : WindowTime(s, work.GetValueOrDefault(2) / c);
        var staging = work.GetValueOrDefault(0) / c;
        var perServer1 = n1 == 0 ? 0 : work.GetValueOrDefault(1) / n1;
        var tier1 = n1 == 0 ? 0 : staging + Math.Max(Math.Min(n1, s.RedundancyGroupSize) * perServer1, work.GetValueOrDefault(1) / (c * Math.Max(1, s.Tier1Nodes)));
        var crossingHours = crossing is null ? 0 : crossing.MinSeconds / 3600 + crossing.WorkAfterArrivalHours / (c * executors);
        var hours = Math.Max(Math.Max(all, crossingHours), Math.Max(tier2, tier1));
        var f = CultureInfo.InvariantCulture;
        var split = s.Tier1Nodes > 0 ? string.Create(f, $" (the Moon's share of it on its {c} slots, or all of it on the {c} slots of each of {executors} executors: the Moon and {s.Tier1Nodes} Tier 1 nodes)") : "";
        var onNodes = s.Tier1Nodes > 0 ? string.Create(f, $", on {s.Tier1Nodes} Tier 1 nodes") : "";
        var explanation = string.Create(f,
            $"max of: all the work the servers needed ({total:0.#} busy hours, mean {mean * 60:0.#} min a server, failures rolled back sooner) at full concurrency / {c} slots = {all:0.##} h{split}; " +
            $"Tier 2 ({n2} servers, {work.GetValueOrDefault(2):0.#} busy hours) only starting inside its windows = {tier2:0.##} h; " +
            $"Tier 1 after the staging pool ({staging:0.##} h at full concurrency), then at best one server per group of {s.RedundancyGroupSize} at a time{onNodes} = {tier1:0.##} h") +
            (crossing is null ? "" : string.Create(f,
                $"; the artifact's first crossing (one light time + {s.ArtifactBytes:N0} bytes at {s.BandwidthMbps:0.##} Mbit/s = {crossing.MinSeconds:0.#} s), then the work from each server's download on " +
                $"({crossing.WorkAfterArrivalHours:0.#} busy hours) at full concurrency = {crossingHours:0.##} h. Busy hours leave out the time a server waited for that crossing"));
        return (Math.Round(hours, 3), explanation);
    }

    /// <summary>Elapsed hours from t = 0 (00:00 UTC) until the windows have been open for <paramref name="needed"/> hours.</summary>
    private static double WindowTime(Scenario s, double needed)
    {
        if (s.Tier2Windows.Count == 0) return needed;
        var origin = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var open = 0.0;
        for (var minute = 0; minute < 60 * 24 * 365; minute++)
        {
            if (MaintenanceWindows.Contains(s.Tier2Windows, origin.AddMinutes(minute))) open += 1 / 60.0;
            if (open >= needed) return (minute + 1) / 60.0;
        }
        return double.PositiveInfinity;
    }
}
