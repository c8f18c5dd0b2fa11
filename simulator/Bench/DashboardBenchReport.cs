using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>What the dashboard benchmark measured for one fleet size: the snapshot's cost and the live feed's.</summary>
public sealed record DashboardBenchReport
{
    public required int Servers { get; init; }
    public required int Clients { get; init; }
    /// <summary>Median CPU time of one <c>DashboardSnapshot.Of</c> on the measuring thread (not wall time: robust to a busy machine).</summary>
    public required double SnapshotCpuMs { get; init; }
    /// <summary>Median wall time of <c>GET /api/v1/dashboard</c> over loopback, build and JSON included.</summary>
    public required double GetMedianMs { get; init; }
    public required long SnapshotJsonBytes { get; init; }
    public required double FeedSeconds { get; init; }
    /// <summary>Status changes written per second while the feed ran (agents reporting).</summary>
    public required double WritesPerSecond { get; init; }
    public required double EventsPerClientPerSecond { get; init; }
    /// <summary>Process CPU over the feed window: the writes alone, then the same writes with the clients connected.</summary>
    public required double CpuSecondsAlone { get; init; }
    public required double CpuSecondsWithClients { get; init; }
    /// <summary>Process CPU per second of feed time with the clients connected, minus the same writes without any client, per client.</summary>
    public required double FeedCpuPercentPerClient { get; init; }

    public string ToText()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"bench dashboard: {Servers} servers, {Clients} live-feed clients");
        s.AppendLine(CultureInfo.InvariantCulture, $"  snapshot:         {SnapshotCpuMs:0.00} ms CPU to build (median), {SnapshotJsonBytes:N0} bytes of JSON");
        s.AppendLine(CultureInfo.InvariantCulture, $"  GET dashboard:    {GetMedianMs:0.00} ms (median, loopback)");
        s.AppendLine(CultureInfo.InvariantCulture, $"  live feed:        {EventsPerClientPerSecond:0.00} events/s per client while {WritesPerSecond:0} status writes/s for {FeedSeconds:0} s");
        s.AppendLine(CultureInfo.InvariantCulture, $"  feed cost:        {FeedCpuPercentPerClient:0.0} % of one core per connected client (process CPU {CpuSecondsWithClients:0.00} s with them, {CpuSecondsAlone:0.00} s without)");
        return s.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        servers = Servers, clients = Clients, snapshotCpuMs = SnapshotCpuMs, getMedianMs = GetMedianMs, snapshotJsonBytes = SnapshotJsonBytes,
        feedSeconds = FeedSeconds, writesPerSecond = WritesPerSecond, eventsPerClientPerSecond = EventsPerClientPerSecond,
        cpuSecondsAlone = CpuSecondsAlone, cpuSecondsWithClients = CpuSecondsWithClients, feedCpuPercentPerClient = FeedCpuPercentPerClient,
    }, new JsonSerializerOptions { WriteIndented = true });
}
