using System.Globalization;
using System.Text.Json;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// Synthesises a workload of the same shape as simulator/data/sync-workload-500.jsonl, determined by the
/// seed: every server starts pending on 2.3.0 (campaign camp-2026-001, 200 racks), then in one wave makes
/// six transitions one minute apart (up to 5 s of jitter), reaching done on 2.4.1; about 1% of the servers
/// get an operator hold on B two hours in.
/// </summary>
public static class SyncWorkloadGenerator
{
    private const long BaseMs = 1767225600000; // 2026-01-01T00:00:00Z
    private const double HoldFraction = 0.01;

    public static IEnumerable<string> Lines(int servers, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(servers);
        var random = new Random(seed);
        var states = WorkloadStatuses.Names;
        yield return Json(new Dictionary<string, object>
        {
            ["kind"] = "meta", ["servers"] = servers, ["seed"] = seed, ["wave"] = servers, ["states"] = states, ["holdFraction"] = HoldFraction,
        });
        for (var i = 0; i < servers; i++)
        {
            yield return Json(new Dictionary<string, object>
            {
                ["kind"] = "init", ["id"] = Id(i), ["status"] = states[0], ["version"] = "2.3.0", ["campaign"] = "camp-2026-001",
                ["rack"] = "rack-" + (i % 200).ToString("D3", CultureInfo.InvariantCulture), ["ts"] = BaseMs + random.Next(1000),
            });
        }
        for (var step = 1; step < states.Count; step++)
        {
            for (var i = 0; i < servers; i++)
            {
                var line = new Dictionary<string, object>
                {
                    ["kind"] = "transition", ["id"] = Id(i), ["wave"] = 0, ["step"] = step, ["status"] = states[step],
                    ["ts"] = BaseMs + step * 60_000L + random.Next(5000),
                };
                if (step == states.Count - 1) line["version"] = "2.4.1";
                yield return Json(line);
            }
        }
        for (var i = 0; i < servers; i++)
        {
            if (random.NextDouble() >= HoldFraction) continue;
            yield return Json(new Dictionary<string, object>
            {
                ["kind"] = "hold", ["id"] = Id(i), ["hold"] = "moon-ops: thermal window", ["holdTs"] = BaseMs + 7_200_000 + i,
            });
        }
    }

    public static SyncWorkload Generate(int servers, int seed) =>
        SyncWorkloadReader.Read(new StringReader(string.Join('\n', Lines(servers, seed))), $"generated({servers} servers, seed {seed})");

    private static string Id(int i) => "srv-" + i.ToString("D5", CultureInfo.InvariantCulture);

    private static string Json(Dictionary<string, object> fields) => JsonSerializer.Serialize(fields);
}
