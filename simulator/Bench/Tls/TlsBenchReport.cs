using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lunar.Dtn.Simulator.Bench.Tls;

/// <summary>What <c>bench tls</c> measured: agent reports over mutual TLS against the same handler on a plain host, and a fleet reconnecting at once.</summary>
public sealed record TlsBenchReport
{
    public required int Clients { get; init; }
    public required double Seconds { get; init; }
    public required LoadFigures Plain { get; init; }
    public required LoadFigures Tls { get; init; }
    public required int ReconnectAgents { get; init; }
    public required double IssueSeconds { get; init; }
    public required double ReconnectWallSeconds { get; init; }
    public required double ReconnectCpuSeconds { get; init; }
    public required int ReconnectFailures { get; init; }

    /// <summary>Requests per second over TLS as a share of plain HTTP (1.0 = no cost).</summary>
    public double ThroughputRatio => Tls.RequestsPerSecond / Plain.RequestsPerSecond;

    public string ToText()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"bench tls: {Clients} agents reporting at once with keep-alive, {Seconds:0} s each way, same handler and store");
        s.AppendLine(CultureInfo.InvariantCulture, $"  plain HTTP (in-process host): {Plain.RequestsPerSecond,9:N0} reports/s  p50 {Plain.P50Ms:0.00} ms  p99 {Plain.P99Ms:0.00} ms  ({Plain.Requests:N0} requests, {Plain.Errors} errors)");
        s.AppendLine(CultureInfo.InvariantCulture, $"  mutual TLS 1.3 (the node):    {Tls.RequestsPerSecond,9:N0} reports/s  p50 {Tls.P50Ms:0.00} ms  p99 {Tls.P99Ms:0.00} ms  ({Tls.Requests:N0} requests, {Tls.Errors} errors)");
        s.AppendLine(CultureInfo.InvariantCulture, $"  TLS keeps {ThroughputRatio:P1} of plain throughput (cost {1 - ThroughputRatio:P1}); p99 ratio {Tls.P99Ms / Plain.P99Ms:0.00}x");
        s.AppendLine(CultureInfo.InvariantCulture, $"  reconnect: {ReconnectAgents:N0} agents, each a new TLS 1.3 handshake with its own certificate and one request:");
        s.AppendLine(CultureInfo.InvariantCulture, $"    {ReconnectWallSeconds:0.00} s wall ({ReconnectAgents / ReconnectWallSeconds:N0} handshakes/s), {ReconnectCpuSeconds:0.00} s process CPU (both ends), {ReconnectFailures} failures");
        s.AppendLine(CultureInfo.InvariantCulture, $"    (issuing their {ReconnectAgents:N0} certificates took {IssueSeconds:0.0} s, once, offline)");
        return s.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });
}
