using Lunar.Dtn.Bpv7;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Links.Bpv7Relay;

namespace Lunar.Dtn.Tests.Links.Bpv7Relay;

/// <summary>The new configuration: tcpclv4:// and mtcp:// peers with the peer's endpoint id, Node:Eid, Link:Bpv7Listen.</summary>
public sealed class Bpv7PeerAddressTests
{
    [Theory]
    [InlineData("tcpclv4://127.0.0.1:4556/ipn:2.7", Bpv7Cla.Tcpclv4, 4556, "ipn:2.7")]
    [InlineData("mtcp://127.0.0.1:4224/dtn://moon/sync", Bpv7Cla.Mtcp, 4224, "dtn://moon/sync")]
    public void PeerUri_GivesTheRelayAndThePeersEid(string uri, Bpv7Cla cla, int port, string eid)
    {
        Assert.True(Bpv7PeerAddress.TryParse("moon", uri, out var a, out var error), error);
        Assert.Equal(new Bpv7PeerAddress("moon", cla, "127.0.0.1", port, EndpointId.Parse(eid)), a);
    }

    [Theory]
    [InlineData("tcpclv4://127.0.0.1:4556", "names no endpoint id: add the peer's, e.g. tcpclv4://127.0.0.1:4556/ipn:2.7")]
    [InlineData("tcpclv4://127.0.0.1/ipn:2.7", "'127.0.0.1' is not host:port")]
    [InlineData("tcpclv4://127.0.0.1:4556/ipn:two", "is not an ipn endpoint id")]
    [InlineData("udp://127.0.0.1:4556/ipn:2.7", "the scheme must be tcpclv4:// or mtcp://")]
    [InlineData("mtcp://127.0.0.1:4224/dtn:none", "dtn:none cannot receive")]
    public void BadPeerUri_IsRefused_SayingWhy(string uri, string expected)
    {
        Assert.False(Bpv7PeerAddress.TryParse("moon", uri, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith($"Link:Peers endpoint '{uri}' of 'moon'", error, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Validate(string? eid, string peers, string? listen = null) =>
        NodeOptionsValidator.Validate(new NodeOptions { Id = "earth", DataDir = "/tmp/x", Eid = eid }, new RelayOptions { Peers = peers, Bpv7Listen = listen });

    [Fact]
    public void GoodBpv7Configuration_HasNoProblems() =>
        Assert.Empty(Validate("ipn:1.7", "moon=tcpclv4://127.0.0.1:4556/ipn:2.7,tier1=127.0.0.1:7003", "tcpclv4://127.0.0.1:4557,mtcp://127.0.0.1:4225"));

    [Fact]
    public void Bpv7PeerWithoutNodeEid_IsAProblemNamingTheKey() =>
        Assert.Contains("Node:Eid is required with a tcpclv4:// or mtcp:// peer or Link:Bpv7Listen (e.g. --Node:Eid=ipn:2.7)", Validate(null, "moon=tcpclv4://127.0.0.1:4556/ipn:2.7"));

    [Fact]
    public void BadNodeEid_IsAProblem() =>
        Assert.Contains(Validate("earth", "moon=127.0.0.1:7002"), e => e.StartsWith("Node:Eid 'earth' is not an endpoint id", StringComparison.Ordinal));

    [Fact]
    public void BadBpv7Listen_IsAProblem() =>
        Assert.Contains("Link:Bpv7Listen entry 'udp://127.0.0.1:1': the scheme must be tcpclv4:// or mtcp://", Validate("ipn:1.7", "", "udp://127.0.0.1:1"));

    [Fact]
    public void EveryProblemIsReportedAtOnce() =>
        Assert.Equal(3, Validate(null, "moon=tcpclv4://127.0.0.1:4556", "127.0.0.1:x").Count);
}
