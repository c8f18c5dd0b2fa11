using System.Net;
using Lunar.Dtn.Links;

namespace Lunar.Dtn.Simulator.LinkEmulator;

/// <summary>What the link emulator does to the bytes between a node and its peer.</summary>
public sealed record LinkEmulatorOptions(
    IPEndPoint Listen,
    string TargetHost,
    int TargetPort,
    TimeSpan Delay,
    double? BandwidthMbps,
    double Loss,
    IReadOnlyList<Blackout> Blackouts,
    int Seed = 1);
