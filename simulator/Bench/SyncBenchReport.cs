using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>What one run of the sync benchmark measured, beside the information floor.</summary>
public sealed record SyncBenchReport
{
    /// <summary>A→B within 1.1× the floor, in one hop.</summary>
    public const double AtoBTargetRatio = 1.1;

    /// <summary>B→A (a few notes) within 4 KB.</summary>
    public const long BtoATargetBytes = 4096;

    public required string Workload { get; init; }
    public required string ReplicaA { get; init; }
    public required string ReplicaB { get; init; }
    public required int Servers { get; init; }
    public required int Transitions { get; init; }
    public required int Holds { get; init; }
    public required double OneWayDelayMs { get; init; }

    /// <summary>Every byte A put on the wire after the link came back (framing, headers, signatures, acks).</summary>
    public required long BytesAtoB { get; init; }
    public required long BytesBtoA { get; init; }
    public required int BundlesAtoB { get; init; }
    public required int BundlesBtoA { get; init; }
    /// <summary>A→B bytes in Deltas bundles (the catch-up itself), the rest being acknowledgements.</summary>
    public required long CatchUpBytesAtoB { get; init; }

    /// <summary>Sequential one-way delays from the restore until both replicas were identical.</summary>
    public required int Hops { get; init; }
    /// <summary>Virtual time from the restore until both replicas were identical.</summary>
    public required double ConvergedAfterMs { get; init; }
    /// <summary>Wall time A spent building, compressing and signing its catch-up when the link came up.</summary>
    public required double GenerateMs { get; init; }
    /// <summary>Wall time B spent receiving A's catch-up: verify, decompress, parse, merge, commit.</summary>
    public required double MergeMs { get; init; }
    /// <summary>The same two in CPU time of the thread doing the work: unlike wall time, not inflated by a busy machine.</summary>
    public double? GenerateCpuMs { get; init; }
    public double? MergeCpuMs { get; init; }
    /// <summary>Runs measured (fresh replicas each time); the two timings above are their medians.</summary>
    public int Runs { get; init; } = 1;
    public IReadOnlyList<double> GenerateMsRuns { get; init; } = [];
    public IReadOnlyList<double> MergeMsRuns { get; init; } = [];
    /// <summary>True only when both replicas' state fingerprints are equal at the end.</summary>
    public required bool Converged { get; init; }

    public required long FloorBytesAtoB { get; init; }
    public required long FloorBytesBtoA { get; init; }
    public double RatioAtoB => FloorBytesAtoB == 0 ? 0 : Math.Round((double)BytesAtoB / FloorBytesAtoB, 3);
    public double RatioBtoA => FloorBytesBtoA == 0 ? 0 : Math.Round((double)BytesBtoA / FloorBytesBtoA, 3);
    public bool AtoBWithinTarget => Hops <= 1 && RatioAtoB <= AtoBTargetRatio;
    public bool BtoAWithinTarget => BytesBtoA <= BtoATargetBytes;

    public required string FingerprintA { get; init; }
    public required string FingerprintB { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToText()
    {
        var s = new StringBuilder();
        void Line(string text) => s.Append(text).Append('\n');
        Line($"sync benchmark: {Workload}");
        Line($"  A = {ReplicaA} ({Transitions} transitions), B = {ReplicaB} ({Holds} holds), {Servers} servers, one-way delay {F(OneWayDelayMs)} ms");
        Line($"  bytesAtoB   {BytesAtoB,10}  in {BundlesAtoB} bundles ({CatchUpBytesAtoB} catch-up)   floor {FloorBytesAtoB,8}   ratio {F(RatioAtoB)}   target ≤ {F(AtoBTargetRatio)}× in 1 hop: {Verdict(AtoBWithinTarget)}");
        Line($"  bytesBtoA   {BytesBtoA,10}  in {BundlesBtoA} bundles   floor {FloorBytesBtoA,8}   ratio {F(RatioBtoA)}   target ≤ {BtoATargetBytes} bytes: {Verdict(BtoAWithinTarget)}");
        Line($"  hops        {Hops,10}  (identical {F(ConvergedAfterMs)} ms after the restore)");
        Line($"  generateMs  {F(GenerateMs),10}  {Cpu(GenerateCpuMs)}{Spread(GenerateMsRuns)}");
        Line($"  mergeMs     {F(MergeMs),10}  {Cpu(MergeCpuMs)}{Spread(MergeMsRuns)}");
        Line($"  converged   {Converged.ToString().ToLowerInvariant(),10}  (fingerprint {FingerprintA[..16]}…)");
        return s.ToString();
    }

    private static string Cpu(double? ms) => ms is { } v ? $"cpu {F(v)} ms  " : "";

    private string Spread(IReadOnlyList<double> runs) =>
        Runs <= 1 ? "" : $"(medians of {Runs} runs; wall: {string.Join(", ", runs.Select(F))})";

    private static string Verdict(bool ok) => ok ? "met" : "MISSED";

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
