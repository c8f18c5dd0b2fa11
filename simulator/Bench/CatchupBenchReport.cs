using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>What one run of the catch-up benchmark measured, beside its floor (one light time plus transmission).</summary>
public sealed record CatchupBenchReport
{
    public required int StatusChanges { get; init; }
    public required double OneWayDelaySeconds { get; init; }
    public required double BandwidthMbps { get; init; }
    /// <summary>How long the link was down, and how long of that the Moon spent recording the status changes.</summary>
    public required double BlackoutSeconds { get; init; }
    public required double WriteSeconds { get; init; }

    /// <summary>Every byte the emulator carried Moon→Earth from the restore to convergence (handshake, framing, bundles).</summary>
    public required long BytesMoonToEarth { get; init; }
    public required long BytesEarthToMoon { get; init; }
    /// <summary>Of <see cref="BytesMoonToEarth"/>, the bundles the Moon's sync layer sent (the catch-up itself and acks).</summary>
    public required long BundleBytesMoonToEarth { get; init; }

    /// <summary>bytesMoonToEarth × 8 / bandwidth.</summary>
    public double TransmissionSeconds => Round(BytesMoonToEarth * 8 / (BandwidthMbps * 1_000_000));
    /// <summary>One light time plus the transmission time: no protocol can converge sooner.</summary>
    public double FloorSeconds => Round(OneWayDelaySeconds + TransmissionSeconds);

    /// <summary>From the restore until Earth's TCP session with the Moon was up again (redial plus handshake).</summary>
    public double? SessionUpSeconds { get; init; }
    /// <summary>From the restore until Earth held everything the Moon had (vector) and the fingerprints were equal.</summary>
    public double? ConvergeSeconds { get; init; }
    public double? Ratio => ConvergeSeconds is { } c && FloorSeconds > 0 ? Round(c / FloorSeconds) : null;

    public required bool Converged { get; init; }
    /// <summary>Why the run did not converge (what it was waiting for when it gave up), else null.</summary>
    public string? Failure { get; init; }
    public required string FingerprintEarth { get; init; }
    public required string FingerprintMoon { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToText()
    {
        var s = new StringBuilder();
        void Line(string text) => s.Append(text).Append('\n');
        Line($"catch-up benchmark: {StatusChanges} status changes on the Moon during a {F(BlackoutSeconds)} s blackout (written in {F(WriteSeconds)} s)");
        Line($"  link              one-way {F(OneWayDelaySeconds)} s, {F(BandwidthMbps)} Mbit/s per direction (link emulator, real TCP, real node services)");
        Line($"  bytesMoonToEarth  {BytesMoonToEarth,10}  ({BundleBytesMoonToEarth} in bundles; {BytesEarthToMoon} bytes Earth→Moon)");
        Line($"  floorSeconds      {F(FloorSeconds),10}  (one light time {F(OneWayDelaySeconds)} + transmission {F(TransmissionSeconds)})");
        Line($"  sessionUpSeconds  {Opt(SessionUpSeconds),10}  (restore → Earth's session up: redial and handshake)");
        Line($"  convergeSeconds   {Opt(ConvergeSeconds),10}  (restore → Earth's fingerprint equals the Moon's)");
        Line($"  ratio             {Opt(Ratio),10}");
        Line($"  converged         {Converged.ToString().ToLowerInvariant(),10}  {(Failure is null ? $"(fingerprint {FingerprintEarth[..16]}…)" : Failure)}");
        return s.ToString();
    }

    private static double Round(double v) => Math.Round(v, 3);

    private static string Opt(double? v) => v is { } x ? F(x) : "-";

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
