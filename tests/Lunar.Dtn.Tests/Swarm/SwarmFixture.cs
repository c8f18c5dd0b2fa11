using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Swarm;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Swarm;

/// <summary>
/// A real Moon node in-process holding one artifact of random bytes in its mirror (metadata registered, content uploaded),
/// on a development constellation whose agents <see cref="AgentIds"/> each have a certificate and a tracker passkey: every
/// peer of a test announces as one of them (the tracker takes nobody else).
/// </summary>
public sealed class SwarmFixture : IAsyncDisposable
{
    private SwarmFixture(InProcessNode node, TempDir dir, byte[] content, string sha)
    {
        Node = node;
        Dir = dir;
        Content = content;
        Sha = sha;
    }

    public InProcessNode Node { get; }
    public TempDir Dir { get; }
    public byte[] Content { get; }
    public string Sha { get; }

    /// <summary>The agents of the fixture's constellation (peer-01 ... peer-12).</summary>
    public static readonly IReadOnlyList<string> AgentIds = [.. Enumerable.Range(1, 12).Select(i => $"peer-{i:D2}")];

    /// <summary>An HTTPS client presenting agent <paramref name="id"/>'s certificate (what our agent's tracker client does).</summary>
    public HttpClient AgentClient(string id) => Node.ClientAs(id);

    /// <summary>The tracker passkey issued with agent <paramref name="id"/>'s credentials (DIR/id.passkey).</summary>
    public string Passkey(string id) => File.ReadAllText(Path.Combine(Node.CredentialsDir, id + ".passkey")).Trim();

    /// <summary>The constellation's CA (PEM), for clients that check the tracker's certificate.</summary>
    public string CaFile => Path.Combine(Node.CredentialsDir, Lunar.Dtn.Security.DevConstellation.AuthorityFile);

    /// <summary>Agent <paramref name="id"/>'s certificate and key files (PEM), for clients that present a certificate.</summary>
    public (string Certificate, string Key) CertificateFiles(string id) =>
        (Lunar.Dtn.Security.Tls.CertificateFiles.CertificatePath(Node.CredentialsDir, id), Lunar.Dtn.Security.Tls.CertificateFiles.KeyPath(Node.CredentialsDir, id));

    public static async Task<SwarmFixture> StartAsync(int size, string version = "2.0.0", params string[] extraArgs)
    {
        var dir = new TempDir("lunar-swarm");
        var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon", ["--Swarm:PeerPort=0", .. extraArgs], agents: AgentIds);
        var content = RandomNumberGenerator.GetBytes(size);
        var sha = await AddArtifactAsync(node.Http, content, version);
        return new SwarmFixture(node, dir, content, sha);
    }

    /// <summary>Registers and uploads an artifact on a node; its sha256.</summary>
    public static async Task<string> AddArtifactAsync(HttpClient http, byte[] content, string version, string name = "lunar-os")
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        using (var post = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, "/api/v1/artifacts", new { name, version, sha256 = sha, sizeBytes = content.Length }))
            Assert.True(post.IsSuccessStatusCode, $"registering the artifact: HTTP {(int)post.StatusCode} {await post.Content.ReadAsStringAsync()}");
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using (var put = await http.PutAsync($"/api/v1/artifacts/{sha}/content", body))
            Assert.True(put.IsSuccessStatusCode, $"uploading the artifact: HTTP {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        return sha;
    }

    /// <summary>
    /// The node's torrent for the artifact, written to a file for the real clients; with <paramref name="passkeyOf"/>, its
    /// announce URL carries that agent's tracker passkey (for a client that cannot present a certificate).
    /// </summary>
    public async Task<(Metainfo Meta, string Path)> TorrentAsync(string? passkeyOf = null)
    {
        var bytes = await Node.Http.GetByteArrayAsync($"/api/v1/artifacts/{Sha}/torrent");
        if (passkeyOf is not null)
        {
            var meta = Metainfo.Parse(bytes);
            bytes = meta.WithAnnounce($"{meta.Announce}?passkey={Passkey(passkeyOf)}").ToTorrentFile();
        }
        var path = Dir.Sub($"{Sha}{(passkeyOf is null ? "" : "-" + passkeyOf)}.torrent");
        await File.WriteAllBytesAsync(path, bytes);
        return (Metainfo.Parse(bytes), path);
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public string Sha256Of(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        Dir.Dispose();
    }
}
