using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// The information floor of a catch-up: the final value of every field that changed during the cut-off,
/// written as compact CSV and DEFLATE-compressed. A→B: one line "id,status,version,ts" per server that
/// made at least one transition (its last status, version and ts). B→A: one line "id,hold,holdTs" per
/// server that got a hold note (the last one). No sync protocol can send less without knowing more.
/// </summary>
public sealed record InformationFloor(long AtoBBytes, long BtoABytes, int ChangedServers, int HoldNotes)
{
    public static InformationFloor Compute(SyncWorkload workload)
    {
        var (atoB, servers) = AtoBText(workload);
        var (btoA, holds) = BtoAText(workload);
        return new InformationFloor(atoB.Length == 0 ? 0 : Deflate(atoB), btoA.Length == 0 ? 0 : Deflate(btoA), servers, holds);
    }

    /// <summary>The final state of the servers changed on A, as CSV lines ordered by id.</summary>
    public static (string Text, int Servers) AtoBText(SyncWorkload workload)
    {
        var version = workload.Inits.ToDictionary(i => i.Id, i => i.Version, StringComparer.Ordinal);
        var last = new SortedDictionary<string, (string Status, long Ts)>(StringComparer.Ordinal);
        foreach (var t in workload.Transitions)
        {
            last[t.Id] = (t.Status, t.Ts);
            if (t.Version is not null) version[t.Id] = t.Version;
        }
        var text = new StringBuilder();
        foreach (var (id, (status, ts)) in last)
            text.Append(CultureInfo.InvariantCulture, $"{id},{status},{version[id]},{ts}\n");
        return (text.ToString(), last.Count);
    }

    /// <summary>The final hold notes written on B, as CSV lines ordered by id.</summary>
    public static (string Text, int Holds) BtoAText(SyncWorkload workload)
    {
        var last = new SortedDictionary<string, WorkloadHold>(StringComparer.Ordinal);
        foreach (var h in workload.Holds) last[h.Id] = h;
        var text = new StringBuilder();
        foreach (var (id, h) in last)
            text.Append(CultureInfo.InvariantCulture, $"{id},{Csv(h.Hold)},{h.HoldTs}\n");
        return (text.ToString(), last.Count);
    }

    /// <summary>Size of <paramref name="text"/> (UTF-8) after raw DEFLATE at the smallest-size level.</summary>
    public static long Deflate(string text)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            deflate.Write(Encoding.UTF8.GetBytes(text));
        return output.Length;
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
