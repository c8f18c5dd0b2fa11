using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace Lunar.Dtn.Swarm;

/// <summary>BEP 3 HTTP announce with BEP 23 compact peers (dictionary peer lists are read too).</summary>
public sealed class TrackerClient(HttpClient http)
{
    private const int MaxResponseBytes = 1 << 20;

    /// <param name="extra">Our own extra query parameters (e.g. <c>site=alpha</c>); a tracker that does not know them ignores them.</param>
    public async Task<TrackerResponse> AnnounceAsync(string announce, byte[] infoHash, byte[] peerId, int port, long uploaded, long downloaded,
        long left, string? trackerEvent, string? extra, CancellationToken ct)
    {
        var url = new StringBuilder(announce);
        url.Append(announce.Contains('?', StringComparison.Ordinal) ? '&' : '?');
        url.Append("info_hash=").Append(Escape(infoHash));
        url.Append("&peer_id=").Append(Escape(peerId));
        url.Append(CultureInfo.InvariantCulture, $"&port={port}&uploaded={uploaded}&downloaded={downloaded}&left={left}&compact=1&numwant=50");
        if (trackerEvent is not null) url.Append("&event=").Append(trackerEvent);
        if (!string.IsNullOrEmpty(extra)) url.Append('&').Append(extra);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            using var response = await http.GetAsync(url.ToString(), HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return TrackerResponse.Failed($"tracker answered HTTP {(int)response.StatusCode}");
            var body = await ReadBoundedAsync(response, timeout.Token).ConfigureAwait(false);
            return Parse(body);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TrackerResponse.Failed("tracker did not answer within 15 s");
        }
        catch (HttpRequestException e)
        {
            return TrackerResponse.Failed($"tracker unreachable: {e.Message}");
        }
    }

    public static TrackerResponse Parse(byte[] body)
    {
        BDictionary d;
        try
        {
            if (Bencode.Decode(body) is not BDictionary dict) return TrackerResponse.Failed("tracker answer is not a dictionary");
            d = dict;
        }
        catch (InvalidDataException e)
        {
            return TrackerResponse.Failed($"tracker answer is not bencoded: {e.Message}");
        }
        if (d.Text("failure reason") is { } failure) return TrackerResponse.Failed(failure);
        var interval = (int)Math.Clamp(d.Integer("interval") ?? 30, 1, 3600);
        var peers = new List<IPEndPoint>();
        if (d["peers"] is byte[] compact)
        {
            for (var i = 0; i + 6 <= compact.Length; i += 6)
                peers.Add(new IPEndPoint(new IPAddress(compact.AsSpan(i, 4)), BinaryPrimitives.ReadUInt16BigEndian(compact.AsSpan(i + 4))));
        }
        else if (d.List("peers") is { } list)
        {
            foreach (var p in list.OfType<BDictionary>())
                if (IPAddress.TryParse(p.Text("ip") ?? "", out var ip) && p.Integer("port") is { } port and > 0 and < 65536)
                    peers.Add(new IPEndPoint(ip, (int)port));
        }
        return new TrackerResponse(peers, interval, null);
    }

    /// <summary>Percent-encodes raw bytes for the query (unreserved characters as they are).</summary>
    public static string Escape(byte[] bytes)
    {
        var s = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') s.Append(c);
            else s.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return s.ToString();
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes) throw new HttpRequestException($"tracker answer longer than {MaxResponseBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
