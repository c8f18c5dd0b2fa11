using System.Net;
using System.Net.Http.Headers;
using Lunar.Dtn.Swarm;

namespace Lunar.Dtn.Agent.Artifacts;

/// <summary>
/// Pieces straight from the mirror's HTTP content endpoint (ranges), for when no peer has a piece or the swarm stalls.
/// Reads never go past the piece asked for: a mirror that sends more is refused (endless data), never buffered.
/// </summary>
public sealed class MirrorFallback(HttpClient node, long signedSize)
{
    public async Task<byte[]> FetchPieceAsync(string artifactId, Metainfo meta, int index, CancellationToken ct)
    {
        var start = (long)index * meta.PieceLength;
        var size = meta.PieceSize(index);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/artifacts/{Uri.EscapeDataString(artifactId)}/content");
        request.Headers.Range = new RangeHeaderValue(start, start + size - 1);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await node.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.PartialContent && response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"mirror answered HTTP {(int)response.StatusCode} for piece {index}");
        if (response.Content.Headers.ContentLength is { } declared && declared > size && response.StatusCode == HttpStatusCode.PartialContent)
            throw new RefusedException($"endless data: the mirror announced {declared} bytes for a {size}-byte range of a {signedSize}-byte signed artifact");
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.OK && start > 0)
        {
            // The range was ignored: skip to the piece, but never read past the signed size.
            await SkipAsync(body, start, timeout.Token).ConfigureAwait(false);
        }
        var piece = new byte[size];
        await body.ReadExactlyAsync(piece, timeout.Token).ConfigureAwait(false);
        var extra = new byte[1];
        var beyond = start + size;
        if (response.StatusCode == HttpStatusCode.PartialContent || beyond >= signedSize)
        {
            // Past what we asked for (or past the signed size) nothing may follow.
            if (await body.ReadAsync(extra, timeout.Token).ConfigureAwait(false) > 0)
                throw new RefusedException($"endless data: the mirror sent more than the {size} bytes asked for (piece {index} of a {signedSize}-byte signed artifact)");
        }
        return piece;
    }

    private static async Task SkipAsync(Stream s, long count, CancellationToken ct)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = await s.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct).ConfigureAwait(false);
            if (read == 0) throw new EndOfStreamException("mirror content ended early");
            count -= read;
        }
    }
}
