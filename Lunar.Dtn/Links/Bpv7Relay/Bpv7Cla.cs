namespace Lunar.Dtn.Links.Bpv7Relay;

/// <summary>The convergence layer that carries BPv7 bundles to the DTN node next door.</summary>
public enum Bpv7Cla
{
    Tcpclv4,
    Mtcp,
}
