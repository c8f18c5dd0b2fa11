using System.Globalization;
using System.Net;
using System.Text.Json;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Swarm;

/// <summary>
/// Real BitTorrent clients from Debian against our tracker, seeder and peer, all on 127.0.0.1 (packages: aria2,
/// python3-libtorrent, transmission-daemon, transmission-cli; .ci/run installs them). Every client run is bounded in
/// time and killed when the test ends.
/// </summary>
[Collection(Fleet.FleetCollection.Name)] // real processes on short timeouts: not alongside the rest of the suite
public sealed class InteropTests
{
    // Debian's python3 (with its libtorrent), not another python3 earlier on the PATH.
    private static readonly TimeSpan ClientLimit = TimeSpan.FromSeconds(120);

    private static string[] Aria2Common(int port) =>
    [
        "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--disable-ipv6=true",
        $"--listen-port={port}", "--summary-interval=0", "--console-log-level=warn", "--file-allocation=none",
    ];

    [Fact]
    public async Task Aria2_DownloadsAnArtifactFromOurSeederThroughOurTracker()
    {
        await using var f = await SwarmFixture.StartAsync(4_000_000);
        var (meta, torrent) = await f.TorrentAsync();
        var into = f.Dir.Sub("aria2");
        // aria2 presents agent peer-01's certificate to the HTTPS tracker and checks the tracker's against the constellation's CA.
        var (code, output) = await ExternalTool.RunAsync("aria2c", "aria2",
            [.. Aria2Common(SwarmFixture.FreePort()), .. Aria2Tls(f, "peer-01"), $"--dir={into}", "--seed-time=0", "--bt-stop-timeout=90", torrent], ClientLimit);

        Assert.True(code == 0, $"aria2c exited {code}:\n{output}");
        Assert.Equal(f.Sha, f.Sha256Of(Path.Combine(into, meta.Name)));
        Assert.True(await MirrorUploadedAsync(f) >= meta.Length, "the bytes came from our seeder");
    }

    [Fact]
    public async Task Libtorrent_DownloadsAnArtifactFromOurSeederThroughOurTracker()
    {
        await using var f = await SwarmFixture.StartAsync(4_000_000);
        // The python bindings cannot present a client certificate to a tracker: the announce URL carries peer-01's passkey.
        var (meta, torrent) = await f.TorrentAsync(passkeyOf: "peer-01");
        var into = f.Dir.Sub("libtorrent");
        Directory.CreateDirectory(into);
        var script = f.Dir.Sub("leech.py");
        await File.WriteAllTextAsync(script, LibtorrentLeech);
        var (code, output) = await ExternalTool.RunAsync("/usr/bin/python3", "python3-libtorrent",
            [script, torrent, into, SwarmFixture.FreePort().ToString(CultureInfo.InvariantCulture), "90", f.CaFile], ClientLimit);

        Assert.True(code == 0, $"libtorrent leecher exited {code}:\n{output}");
        Assert.Equal(f.Sha, f.Sha256Of(Path.Combine(into, meta.Name)));
    }

    [Fact]
    public async Task OurPeer_DownloadsFromAria2Seeding()
    {
        await using var f = await SwarmFixture.StartAsync(3_000_000);
        var (meta, torrent) = await f.TorrentAsync();
        var seedDir = f.Dir.Sub("aria2-seed");
        Directory.CreateDirectory(seedDir);
        await File.WriteAllBytesAsync(Path.Combine(seedDir, meta.Name), f.Content);
        var port = SwarmFixture.FreePort();
        using var aria2 = ExternalTool.Start("aria2c", "aria2",
            [.. Aria2Common(port), .. Aria2Tls(f, "peer-02"), $"--dir={seedDir}", "--check-integrity=true", "--seed-ratio=0.0", "--seed-time=5", torrent]);

        await using var ours = new OurPeer(meta, f.Dir.Sub("from-aria2.bin"));
        // Dialled directly (not through the tracker), so every byte comes from aria2 and none from the mirror.
        await Eventually.Holds(() =>
        {
            if (ours.Torrent.PeerCount == 0) ours.Dial(new IPEndPoint(IPAddress.Loopback, port));
            return ours.Torrent.PeerCount > 0 || aria2.HasExited;
        }, "our peer to connect to aria2 once it has checked its file", TimeSpan.FromSeconds(60));
        await ours.CompleteAsync($"our peer to download from aria2 (aria2 output: {aria2.Output})", ClientLimit);

        Assert.Equal(meta.Length, ours.Torrent.BytesFromPeers);
        Assert.Equal(0, ours.Torrent.BytesFromMirror);
        Assert.Equal(f.Sha, Convert.ToHexStringLower(ours.Torrent.Store.Sha256()));
    }

    [Fact]
    public async Task OurSeeder_DialsATransmissionLeecherAndServesIt()
    {
        await using var f = await SwarmFixture.StartAsync(2_000_000);
        // Transmission cannot present a client certificate: the announce URL carries peer-01's passkey, and curl (its HTTP
        // client) checks the tracker against the constellation's CA (CURL_CA_BUNDLE).
        var (meta, torrent) = await f.TorrentAsync(passkeyOf: "peer-01");
        var config = f.Dir.Sub("transmission");
        var downloads = f.Dir.Sub("transmission-downloads");
        Directory.CreateDirectory(config);
        Directory.CreateDirectory(downloads);
        int rpc = SwarmFixture.FreePort(), peerPort = SwarmFixture.FreePort();
        await File.WriteAllTextAsync(Path.Combine(config, "settings.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["dht-enabled"] = false, ["lpd-enabled"] = false, ["pex-enabled"] = false, ["utp-enabled"] = false,
            ["port-forwarding-enabled"] = false, ["bind-address-ipv4"] = "127.0.0.1", ["bind-address-ipv6"] = "::1",
            ["peer-port"] = peerPort, ["peer-port-random-on-start"] = false, ["rpc-port"] = rpc, ["rpc-bind-address"] = "127.0.0.1",
            ["rpc-authentication-required"] = false, ["rpc-whitelist-enabled"] = false, ["download-dir"] = downloads,
            ["incomplete-dir-enabled"] = false, ["rename-partial-files"] = false, ["encryption"] = 0, ["message-level"] = 2,
        }));
        using var daemon = ExternalTool.Start("transmission-daemon", "transmission-daemon", ["-f", "-g", config],
            new Dictionary<string, string> { ["CURL_CA_BUNDLE"] = f.CaFile });
        try
        {
            await Eventually.Holds(() => RemoteAsync(rpc, "-l").GetAwaiter().GetResult().Code == 0 || daemon.HasExited,
                "transmission-daemon's RPC to answer", TimeSpan.FromSeconds(30));
            var added = await RemoteAsync(rpc, "-a", torrent);
            Assert.True(added.Code == 0, $"transmission-remote -a failed: {added.Output}\n{daemon.Output}");

            var file = Path.Combine(downloads, meta.Name);
            await Eventually.Holds(() => File.Exists(file) && new FileInfo(file).Length == meta.Length && f.Sha256Of(file) == f.Sha,
                $"Transmission to hold the verified artifact (its log:\n{daemon.Output})", ClientLimit);
            Assert.True(await MirrorUploadedAsync(f) >= meta.Length, "our seeder sent the bytes");
        }
        finally
        {
            await RemoteAsync(rpc, "--exit");
        }
    }

    /// <summary>aria2's HTTPS tracker options: agent <paramref name="agent"/>'s certificate and key, and the constellation's CA.</summary>
    private static string[] Aria2Tls(SwarmFixture f, string agent)
    {
        var (certificate, key) = f.CertificateFiles(agent);
        return [$"--ca-certificate={f.CaFile}", $"--certificate={certificate}", $"--private-key={key}", "--check-certificate=true"];
    }

    private static Task<(int Code, string Output)> RemoteAsync(int rpc, params string[] args) =>
        ExternalTool.RunAsync("transmission-remote", "transmission-cli", [$"127.0.0.1:{rpc}", .. args], TimeSpan.FromSeconds(15));

    private static async Task<long> MirrorUploadedAsync(SwarmFixture f) =>
        (await f.Node.GetJsonAsync("/api/v1/swarm")).GetProperty("uploadedBytes").GetInt64();

    private const string LibtorrentLeech = """
        import os, sys, time
        import libtorrent as lt
        torrent, save, port, limit, ca = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
        settings = {'listen_interfaces': '127.0.0.1:%d' % port, 'enable_dht': False, 'enable_lsd': False,
                    'enable_upnp': False, 'enable_natpmp': False, 'allow_multiple_connections_per_ip': True}
        # The tracker's certificate is the constellation's, not a public CA's: libtorrent 2 checks HTTPS trackers against
        # the system store (or SSL_CERT_FILE), so the test points it at the CA; 1.x does not check them at all.
        os.environ['SSL_CERT_FILE'] = ca
        s = lt.session(settings)
        h = s.add_torrent({'ti': lt.torrent_info(torrent), 'save_path': save})
        deadline = time.time() + limit
        while time.time() < deadline:
            st = h.status()
            if st.is_seeding:
                print('complete', st.total_payload_download)
                sys.exit(0)
            time.sleep(0.2)
        st = h.status()
        print('timed out at progress', st.progress, 'peers', st.num_peers, 'state', st.state)
        sys.exit(2)
        """;
}
