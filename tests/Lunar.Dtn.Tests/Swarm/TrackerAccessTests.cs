using System.Security.Cryptography;
using Lunar.Dtn.Swarm;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Swarm;

/// <summary>
/// The tracker takes entries only from authenticated agents of servers the constellation lists: an agent certificate (one
/// entry, for its own server) or the agent's tracker passkey in the announce URL. Anyone else gets a bencoded failure
/// reason and adds nothing, so a flood of fake announces cannot push genuine peers out of a downloader's list.
/// </summary>
public sealed class TrackerAccessTests
{
    [Fact]
    public async Task Announce_WithoutCertificateOrPasskey_GetsAFailureReason_AndAddsNoEntry()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        var (meta, _) = await f.TorrentAsync();
        using var anonymous = f.Node.Anonymous();

        var answer = TrackerClient.Parse(await anonymous.GetByteArrayAsync(Query(meta, 20_001)));

        Assert.Contains("agent's certificate", answer.Failure, StringComparison.Ordinal);
        Assert.Empty(await PeersSeenByAsync(f, meta, "peer-01"));
    }

    [Fact]
    public async Task Announce_WithAPasskeyNobodyWasIssued_GetsAFailureReason_AndAddsNoEntry()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        var (meta, _) = await f.TorrentAsync();
        using var anonymous = f.Node.Anonymous();

        var answer = TrackerClient.Parse(await anonymous.GetByteArrayAsync(Query(meta, 20_001, passkey: Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))));

        Assert.Equal("the passkey is not one this tracker issued", answer.Failure);
        Assert.Empty(await PeersSeenByAsync(f, meta, "peer-01"));
    }

    [Fact]
    public async Task Announce_ByAnOperatorCertificate_GetsAFailureReason_OnlyAgentsAnnounce()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        var (meta, _) = await f.TorrentAsync();
        using var viewer = f.Node.ClientAs("vic");

        var answer = TrackerClient.Parse(await viewer.GetByteArrayAsync(Query(meta, 20_001)));

        Assert.Contains("is not an agent", answer.Failure, StringComparison.Ordinal);
        Assert.Empty(await PeersSeenByAsync(f, meta, "peer-01"));
    }

    [Fact]
    public async Task Announce_WithTheAgentsPasskey_AndNoCertificate_AddsThatAgentsEntry()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        var (meta, _) = await f.TorrentAsync();
        using var anonymous = f.Node.Anonymous();

        var answer = TrackerClient.Parse(await anonymous.GetByteArrayAsync(Query(meta, 20_002, passkey: f.Passkey("peer-02"))));

        Assert.Null(answer.Failure);
        Assert.Equal(new[] { 20_002 }, await PeersSeenByAsync(f, meta, "peer-01"));
    }

    [Fact]
    public async Task Announce_ByOneAgentWithManyPeerIdsAndPorts_HoldsOneEntryForItsServer()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        var (meta, _) = await f.TorrentAsync();
        using var agent = f.AgentClient("peer-02");

        for (var i = 0; i < 50; i++)
            Assert.Null(TrackerClient.Parse(await agent.GetByteArrayAsync(Query(meta, 30_000 + i))).Failure);

        // The entry is the agent's last announce; the other 49 are gone with it.
        Assert.Equal(new[] { 30_049 }, await PeersSeenByAsync(f, meta, "peer-01"));
    }

    [Fact]
    public async Task ThreeThousandFakeAnnounces_LeaveNoFakePeers_AndARealAgentGetsItsGenuinePeers()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        var (meta, _) = await f.TorrentAsync();
        // Two genuine agents announce: one by certificate, one by passkey (a BitTorrent client without a certificate).
        using (var genuine = f.AgentClient("peer-02"))
            Assert.Null(TrackerClient.Parse(await genuine.GetByteArrayAsync(Query(meta, 40_002))).Failure);
        using (var byPasskey = f.Node.Anonymous())
            Assert.Null(TrackerClient.Parse(await byPasskey.GetByteArrayAsync(Query(meta, 40_003, passkey: f.Passkey("peer-03")))).Failure);

        // 3,000 fakes from 127.0.0.1, each a new peer id and port: no certificate, invented passkeys, a viewer's certificate.
        const int Fakes = 3_000, Workers = 6;
        using var anonymous = f.Node.Anonymous();
        using var viewer = f.Node.ClientAs("vic");
        var refused = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
        {
            for (var i = w; i < Fakes; i += Workers)
            {
                var (client, passkey) = (i % 3) switch
                {
                    0 => (anonymous, (string?)null),
                    1 => (anonymous, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
                    _ => (viewer, null),
                };
                var answer = TrackerClient.Parse(await client.GetByteArrayAsync(Query(meta, 10_000 + i, passkey)));
                if (answer.Failure is not null) Interlocked.Increment(ref refused);
            }
        }));
        Assert.Equal(Fakes, refused);

        // A real agent downloading gets exactly its genuine peers (and the mirror's seeder), none of the 3,000.
        using var real = f.AgentClient("peer-01");
        var seen = TrackerClient.Parse(await real.GetByteArrayAsync(Query(meta, 40_001, numWant: 80)));
        Assert.Null(seen.Failure);
        var seeder = (await f.Node.GetJsonAsync("/api/v1/swarm")).GetProperty("peerEndpoint").GetString();
        Assert.Equal([40_002, 40_003], seen.Peers.Where(p => p.ToString() != seeder).Select(p => p.Port).Order());
        Assert.Equal(3, seen.Peers.Count);
    }

    [Fact]
    public async Task RevokedAgent_ItsCertificateAndItsPasskey_AddNoEntry_FromTheVersionThatRevokesIt()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        var (meta, _) = await f.TorrentAsync();
        using var anonymous = f.Node.Anonymous();
        Assert.Null(TrackerClient.Parse(await anonymous.GetByteArrayAsync(Query(meta, 20_004, passkey: f.Passkey("peer-04")))).Failure);

        // The next constellation version revokes peer-04's certificate (its passkey belongs to it) and peer-05's.
        var dir = f.Node.CredentialsDir;
        var current = Lunar.Dtn.Security.Constellation.Load(Path.Combine(dir, Lunar.Dtn.Security.DevConstellation.FileName));
        using var root = Lunar.Dtn.Security.NodeKey.Load(Path.Combine(dir, "root.key"));
        var revoked = current.Agents!.Where(a => a.Id is "peer-04" or "peer-05").Select(a => a.Tls!).ToArray();
        var next = (current with { Version = current.Version + 1, RevokedKeys = [.. current.RevokedKeys, .. revoked] }).SignWith(root);
        using (var submit = await f.Node.Http.PostAsync("/api/v1/constellation",
                   new StringContent(next.ToJson(), System.Text.Encoding.UTF8, "application/json")))
            Assert.True(submit.IsSuccessStatusCode, $"submitting version {next.Version}: {(int)submit.StatusCode} {await submit.Content.ReadAsStringAsync()}");

        var byPasskey = TrackerClient.Parse(await anonymous.GetByteArrayAsync(Query(meta, 20_004, passkey: f.Passkey("peer-04"))));
        Assert.Equal($"the agent of 'peer-04' is revoked in constellation version {next.Version}", byPasskey.Failure);
        using var revokedAgent = f.AgentClient("peer-05");
        var byCertificate = TrackerClient.Parse(await revokedAgent.GetByteArrayAsync(Query(meta, 20_005)));
        Assert.Equal($"agent 'peer-05' is revoked in constellation version {next.Version}", byCertificate.Failure);
        // The entry peer-04 made before its revocation is left to age out; nothing new was added by either.
        Assert.DoesNotContain(20_005, await PeersSeenByAsync(f, meta, "peer-01"));
    }

    /// <summary>The ports of the peers the tracker lists to agent <paramref name="agent"/> (the mirror's own seeder left out).</summary>
    private static async Task<int[]> PeersSeenByAsync(SwarmFixture f, Metainfo meta, string agent)
    {
        using var http = f.AgentClient(agent);
        var answer = TrackerClient.Parse(await http.GetByteArrayAsync(Query(meta, 40_000, numWant: 80) + "&event=stopped"));
        Assert.Null(answer.Failure);
        var seeder = (await f.Node.GetJsonAsync("/api/v1/swarm")).GetProperty("peerEndpoint").GetString();
        return [.. answer.Peers.Where(p => p.ToString() != seeder).Select(p => p.Port).Order()];
    }

    private static string Query(Metainfo meta, int port, string? passkey = null, int numWant = 50) =>
        $"/announce?{(passkey is null ? "" : $"passkey={passkey}&")}info_hash={TrackerClient.Escape(meta.InfoHash)}" +
        $"&peer_id={TrackerClient.Escape(PeerHandshake.NewPeerId(false))}&port={port}&left=10&compact=1&numwant={numWant}";
}
