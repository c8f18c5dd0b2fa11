using System.Text.Json;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// A stand-in for the executor node's agent protocol, for testing the real agent process before the node's
/// executor exists: Kestrel on 127.0.0.1, one server, one scripted assignment, every report recorded. It keeps the
/// protocol's rules — registration first (404 otherwise), seq per attempt in order (same seq = duplicate, a gap or a
/// step back = 409), 409 with the node's phase for a stale attempt or after a time-out — and lets a test script
/// answers (<see cref="OnReport"/>) to play a restarting, forgetful or impatient node. It also plays the node's mirror
/// for one artifact (<see cref="Artifact"/>): its torrent, its content with ranges, a tracker with no other peers, and
/// the campaign's pinned artifact — each of which a test can make hostile (<see cref="Serve"/>, <see cref="ExtraBytes"/>,
/// <see cref="CampaignArtifactId"/>).
/// Like a node it serves only HTTPS and takes only clients presenting a certificate of its constellation's CA
/// (<see cref="CredentialsDir"/>: a node "moon" and the agents <see cref="AgentIds"/>); it records whose certificate
/// each request presented (<see cref="Presented"/>).
/// </summary>
public sealed class StubExecutor : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<StubReport> _reports = [];
    private TaskCompletionSource _changed = NewSignal();
    private Assignment? _assignment;
    private string _phase = "idle";
    private long _lastSeq;
    private bool _registered;

    private readonly TempDir _dir = new("lunar-stub");
    private byte[] _served = [];
    private byte[] _torrent = [];

    private StubExecutor(WebApplication app) => _app = app;

    private TempDir? _credentials;

    /// <summary>The genuine artifact every assignment names (random bytes; its sha256 and size are what the assignment signs).</summary>
    public StubArtifact Artifact { get; private set; } = null!;

    /// <summary>Bytes the content endpoint appends after whatever was asked for (a mirror sending endless data).</summary>
    public int ExtraBytes { get; set; }

    /// <summary>Bytes the torrent endpoint appends to the torrent (a node serving an oversized torrent).</summary>
    public int TorrentExtraBytes { get; set; }

    /// <summary>When set, the torrent goes without a Content-Length (chunked), so only reading it can tell its size.</summary>
    public bool TorrentWithoutLength { get; set; }

    /// <summary>When set, the campaign endpoint says the campaign pins this artifact instead (mix-and-match).</summary>
    public string? CampaignArtifactId { get; set; }

    /// <summary>A pause before each content answer (a slow mirror, so a test can interrupt a download).</summary>
    public int ContentDelayMs { get; set; }

    /// <summary>When set, the content endpoint answers 503 (a mirror that cannot serve: peers are the only source).</summary>
    public bool ContentUnavailable { get; set; }

    /// <summary>Peers the tracker lists (compact form); none by default.</summary>
    public IReadOnlyList<System.Net.IPEndPoint> TrackerPeers { get; set; } = [];

    /// <summary>The torrent currently served (for a test's own peer).</summary>
    public Lunar.Dtn.Swarm.Metainfo Metainfo { get { lock (_gate) return Lunar.Dtn.Swarm.Metainfo.Parse(_torrent); } }

    /// <summary>Content requests served so far.</summary>
    public int ContentRequests { get { lock (_gate) return _contentRequests; } }

    private int _contentRequests;

    /// <summary>Serves <paramref name="content"/> (and a torrent made from it) in place of the genuine artifact.</summary>
    public void Serve(byte[] content)
    {
        var file = _dir.Sub($"served-{Guid.NewGuid():N}");
        File.WriteAllBytes(file, content);
        var meta = Lunar.Dtn.Swarm.Metainfo.Create(file, Artifact.Sha256, Lunar.Dtn.Swarm.Metainfo.ChoosePieceLength(content.Length), true, $"{Url}/announce");
        lock (_gate)
        {
            _served = content;
            _torrent = meta.ToTorrentFile();
        }
    }

    public string Url { get; private set; } = "";

    /// <summary>The one server this stub serves.</summary>
    public string ServerId { get; init; } = "srv-00042";

    /// <summary>Decides, per report, whether to play something other than the normal rules.</summary>
    public Func<AgentReport, StubAction>? OnReport { get; set; }

    /// <summary>The node's current phase for the server.</summary>
    public string Phase { get { lock (_gate) return _phase; } }

    public IReadOnlyList<StubReport> Reports { get { lock (_gate) return _reports.ToArray(); } }

    /// <summary>Progress reports the stub recorded (not duplicates, not refused), in order.</summary>
    public IReadOnlyList<StubReport> Accepted => Reports.Where(r => r.Accepted).ToArray();

    /// <summary>The agents the stub's constellation issued credentials for (the default server and a second one, for a foreign agent).</summary>
    public static readonly IReadOnlyList<string> AgentIds = ["srv-00042", "srv-00043"];

    /// <summary>The development constellation's folder: ca.crt, moon's certificate, and each agent's files (P.crt, P.key.pem, P.passkey).</summary>
    public string CredentialsDir { get; private set; } = "";

    private readonly List<(string Path, string Principal)> _presented = [];

    /// <summary>Every request so far: its path and the principal (CN) of the client certificate it presented.</summary>
    public IReadOnlyList<(string Path, string Principal)> Presented { get { lock (_gate) return _presented.ToArray(); } }

    public static async Task<StubExecutor> StartAsync()
    {
        var credentials = new TempDir("lunar-stub-credentials");
        TestCredentials.Create(credentials.Path, ["moon"], agents: AgentIds);
        var ca = Lunar.Dtn.Security.Tls.CertificateFiles.LoadAuthority(System.IO.Path.Combine(credentials.Path, Lunar.Dtn.Security.DevConstellation.AuthorityFile));
        var serverCertificate = Lunar.Dtn.Security.Tls.CertificateFiles.Load(
            Lunar.Dtn.Security.Tls.CertificateFiles.CertificatePath(credentials.Path, "moon"), Lunar.Dtn.Security.Tls.CertificateFiles.KeyPath(credentials.Path, "moon"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls("https://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = serverCertificate;
            https.SslProtocols = System.Security.Authentication.SslProtocols.Tls13;
            // Like a node: no certificate of this constellation's CA, no request.
            https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) =>
                Lunar.Dtn.Security.Tls.CertificateCheck.Check(certificate, ca, DateTimeOffset.UtcNow).Problem is null;
        }));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubExecutor(app) { _credentials = credentials, CredentialsDir = credentials.Path };
        app.Use(async (context, next) =>
        {
            var principal = context.Connection.ClientCertificate?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false) ?? "";
            lock (stub._gate) stub._presented.Add((context.Request.Path.Value ?? "", principal));
            await next(context);
        });
        app.MapPost("/api/v1/agents/{id}/report", stub.ReportAsync);
        app.MapGet("/api/v1/agents/{id}/assignment", stub.AssignmentAsync);
        app.MapGet("/api/v1/artifacts/{id}/torrent", (string id) => stub.Torrent());
        app.MapGet("/api/v1/artifacts/{id}/content", stub.ContentAsync);
        app.MapGet("/api/v1/agents/{server}/campaigns/{id}", (string server, string id) => Results.Ok(new { id, artifactId = stub.CampaignArtifactId ?? stub.Artifact.Sha256 }));
        app.MapGet("/announce", () => Results.Bytes(Lunar.Dtn.Swarm.Bencode.Encode(new Lunar.Dtn.Swarm.BDictionary { ["interval"] = 5L, ["peers"] = stub.CompactPeers() }), "text/plain"));
        await app.StartAsync();
        stub.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.Artifact = new StubArtifact(System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000));
        stub.Serve(stub.Artifact.Content);
        return stub;
    }

    /// <summary>A queued assignment for attempt <paramref name="attempt"/>, with the given phase timeouts.</summary>
    /// <param name="artifact">A new artifact for this assignment (default: the current <see cref="Artifact"/>).</param>
    /// <param name="serve">Bytes the mirror serves for it instead of the genuine ones (an attack).</param>
    public Assignment Assign(string serverId, string campaignId = "camp-1", int attempt = 1, string version = "2.0.0",
        IReadOnlyDictionary<string, int>? phaseTimeouts = null, StubArtifact? artifact = null, byte[]? serve = null)
    {
        if (artifact is not null) Artifact = artifact;
        if (artifact is not null || serve is not null) Serve(serve ?? Artifact.Content);
        var a = new Assignment(serverId, campaignId, attempt, Artifact.Sha256, "lunar-os", version,
            Artifact.Sha256, Artifact.Content.Length, "queued", phaseTimeouts ?? new Dictionary<string, int>());
        lock (_gate)
        {
            _assignment = a;
            _phase = "queued";
            _lastSeq = 0;
        }
        Pulse();
        return a;
    }

    /// <summary>Waits for a report matching <paramref name="match"/> (one already received counts); fails naming what it waited for.</summary>
    public async Task<StubReport> WaitForAsync(Func<StubReport, bool> match, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var hit = _reports.FirstOrDefault(match);
                if (hit is not null) return hit;
                changed = _changed.Task;
            }
            try { await changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting for {what}; the stub received:\n{string.Join("\n", Reports)}");
            }
        }
    }

    /// <summary>Waits until the stub has recorded <paramref name="phase"/> for the attempt.</summary>
    public Task<StubReport> WaitForPhaseAsync(string phase, TimeSpan? timeout = null) =>
        WaitForAsync(r => r.Accepted && r.Report.Phase == phase, $"the agent's '{phase}' report to be recorded", timeout);

    private async Task<IResult> ReportAsync(string id, HttpContext http)
    {
        AgentReport? r;
        try { r = await http.Request.ReadFromJsonAsync<AgentReport>(); }
        catch (JsonException e) { return Problem(400, $"not an agent report: {e.Message}", null); }
        if (r?.Phase is null || !PhaseNames.TryParsePhase(r.Phase, out _)) return Problem(400, $"phase '{r?.Phase}' is not a phase", null);

        var action = OnReport?.Invoke(r) ?? StubAction.Normal;
        if (action == StubAction.ServerError) return Record(r, Problem(500, "node restarting", null), 500, false);

        var (result, status, duplicate) = Decide(r, action);
        Record(r, result, status, duplicate);
        if (action == StubAction.RecordThenDropAnswer && status == 200)
        {
            http.Abort();
            return Results.Empty;
        }
        return result;
    }

    private (IResult Result, int Status, bool Duplicate) Decide(AgentReport r, StubAction action)
    {
        lock (_gate)
        {
            if (r.CampaignId is null)
            {
                if (!_registered && r.Site is null) return (Problem(404, "unknown agent", null), 404, false);
                _registered = true;
                return (Ok(false), 200, false);
            }
            if (!_registered) return (Problem(404, "unknown agent", null), 404, false);
            if (_assignment is null || r.CampaignId != _assignment.CampaignId || r.Attempt != _assignment.Attempt)
                return (Problem(409, "stale attempt", _phase), 409, false);
            if (r.Seq == _lastSeq) return (Ok(true), 200, true);
            if (r.Seq != _lastSeq + 1) return (Problem(409, $"out of order: seq {r.Seq} after {_lastSeq}", _phase), 409, false);
            if (action == StubAction.TimeOut) _phase = "timed-out";
            if (_phase is "complete" or "rolled-back") return (Problem(409, "attempt already final", _phase), 409, false);
            if (_phase == "timed-out" && r.Phase is not ("rolling-back" or "rolled-back"))
                return (Problem(409, "the node timed this server out", _phase), 409, false);
            _phase = r.Phase!;
            _lastSeq = r.Seq ?? 0;
            return (Ok(false), 200, false);
        }
    }

    private async Task<IResult> AssignmentAsync(string id, int? waitSeconds, CancellationToken aborted)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Clamp(waitSeconds ?? 0, 0, 60));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (!_registered) return Problem(404, "unknown agent", null);
                if (_assignment is not null && _phase is not ("complete" or "rolled-back"))
                    return Results.Ok(_assignment with { Phase = _phase });
                changed = _changed.Task;
            }
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) return Results.NoContent();
            // The agent hanging up (killed) ends the wait, so stopping the stub never waits out a long poll.
            try { await changed.WaitAsync(left, aborted); }
            catch (TimeoutException) { return Results.NoContent(); }
            catch (OperationCanceledException) { return Results.NoContent(); }
        }
    }

    private byte[] CompactPeers() =>
        TrackerPeers.SelectMany(p => p.Address.GetAddressBytes().Concat(new[] { (byte)(p.Port >> 8), (byte)p.Port })).ToArray();

    private IResult Torrent()
    {
        byte[] torrent;
        lock (_gate) torrent = [.. _torrent, .. new byte[TorrentExtraBytes]];
        return TorrentWithoutLength ? Results.Stream(new MemoryStream(torrent), "application/x-bittorrent") : Results.Bytes(torrent, "application/x-bittorrent");
    }

    /// <summary>The content with a single byte range, as the node serves it, plus <see cref="ExtraBytes"/> of garbage.</summary>
    private async Task ContentAsync(string id, HttpContext http)
    {
        if (ContentUnavailable)
        {
            http.Response.StatusCode = 503;
            return;
        }
        byte[] served;
        lock (_gate)
        {
            served = _served;
            _contentRequests++;
        }
        long start = 0, end = served.Length - 1;
        if (System.Net.Http.Headers.RangeHeaderValue.TryParse(http.Request.Headers.Range.ToString(), out var range) && range.Ranges.Count == 1)
        {
            var r = range.Ranges.First();
            start = r.From ?? 0;
            end = Math.Min(r.To ?? end, end);
            http.Response.StatusCode = 206;
            http.Response.Headers.ContentRange = $"bytes {start}-{end}/{served.Length}";
        }
        http.Response.ContentType = "application/octet-stream";
        if (ContentDelayMs > 0) await Task.Delay(ContentDelayMs, http.RequestAborted);
        await http.Response.Body.WriteAsync(served.AsMemory((int)start, (int)(end - start + 1)));
        if (ExtraBytes > 0) await http.Response.Body.WriteAsync(new byte[ExtraBytes]);
    }

    private IResult Record(AgentReport r, IResult result, int status, bool duplicate)
    {
        lock (_gate) _reports.Add(new StubReport(r, status, duplicate, DateTimeOffset.UtcNow));
        Pulse();
        return result;
    }

    private IResult Ok(bool duplicate) => Results.Ok(new { serverId = ServerId, phase = _phase, duplicate });

    private static IResult Problem(int status, string detail, string? phase) =>
        Results.Problem(detail: detail, statusCode: status,
            extensions: phase is null ? null : new Dictionary<string, object?> { ["phase"] = phase });

    private void Pulse()
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            old = _changed;
            _changed = NewSignal();
        }
        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dir.Dispose();
        _credentials?.Dispose();
    }
}
