using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Holds each request body to its endpoint's <see cref="BodyCap"/> (after the access gate, so only an authorised caller's
/// body is ever read). Kestrel's MaxRequestBodySize is set from the cap. A JSON body within its cap goes on untouched; one
/// over it is never held: it is read in 16 KiB pieces (up to <see cref="BodyLimits.OversizedScanBytes"/>) through a
/// <see cref="JsonBoundsScanner"/> and answered with a 400 validation problem naming the field that is too long
/// ("name is 5,242,880 characters; at most 200"), or a 413 problem naming the cap when no single field is to blame.
/// </summary>
public sealed class BodyCapMiddleware(RequestDelegate next)
{
    private const int Piece = 16 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var cap = context.GetEndpoint()?.Metadata.GetMetadata<BodyCap>();
        var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (cap is null || size is null || size.IsReadOnly) { await next(context).ConfigureAwait(false); return; }
        size.MaxRequestBodySize = cap.MaxRequestBodySize;
        if (!cap.IsJson || cap.MaxBytes is not { } max) { await next(context).ConfigureAwait(false); return; }

        var declared = context.Request.ContentLength;
        if (declared <= max) { await next(context).ConfigureAwait(false); return; }
        if (declared > cap.MaxRequestBodySize)
        {
            await TooLarge(context, max, $"the body is {BodyLimits.N(declared.Value)} bytes").ConfigureAwait(false);
            return;
        }
        if (declared is null)
        {
            // No length declared (chunked): hold at most the cap, then either pass it on or diagnose what follows.
            var held = new byte[max + 1];
            var n = await ReadUpToAsync(context.Request.Body, held, context.RequestAborted).ConfigureAwait(false);
            if (n <= max)
            {
                context.Request.Body = new MemoryStream(held, 0, n, writable: false);
                context.Request.ContentLength = n;
                await next(context).ConfigureAwait(false);
                return;
            }
            await DiagnoseAsync(context, cap, max, held.AsMemory(0, n)).ConfigureAwait(false);
            return;
        }
        await DiagnoseAsync(context, cap, max, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
    }

    private static async Task DiagnoseAsync(HttpContext context, BodyCap cap, long max, ReadOnlyMemory<byte> prefix)
    {
        var scanner = new JsonBoundsScanner(cap.Fields!);
        scanner.Feed(prefix.Span);
        var buffer = ArrayPool<byte>.Shared.Rent(Piece);
        var cut = false;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer.AsMemory(0, Piece), context.RequestAborted).ConfigureAwait(false)) > 0)
                scanner.Feed(buffer.AsSpan(0, read));
        }
        catch (BadHttpRequestException) { cut = true; } // past the scan ceiling: what was read is what we know
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        var found = scanner.Finish();
        var body = cut ? $"the body is more than {BodyLimits.N(scanner.Bytes)} bytes" : $"the body is {BodyLimits.N(scanner.Bytes)} bytes";
        if (found.Count == 0)
        {
            await TooLarge(context, max, body).ConfigureAwait(false);
            return;
        }
        var errors = found.ToDictionary(f => f.Field, f => new[] { f.Problem }, StringComparer.Ordinal);
        await Results.ValidationProblem(errors, title: "Invalid request",
                detail: $"{string.Join("; ", found.Select(f => f.Problem))} ({body}; {context.Request.Method} {context.Request.Path} takes at most {BodyLimits.N(max)}; nothing was stored)")
            .ExecuteAsync(context).ConfigureAwait(false);
    }

    private static Task TooLarge(HttpContext context, long max, string body) =>
        Results.Problem(title: "Request body too large", statusCode: StatusCodes.Status413PayloadTooLarge,
                detail: $"{body}; {context.Request.Method} {context.Request.Path} takes at most {BodyLimits.N(max)} bytes (nothing was stored)",
                extensions: new Dictionary<string, object?> { ["maxBytes"] = max })
            .ExecuteAsync(context);

    private static async Task<int> ReadUpToAsync(Stream body, byte[] into, CancellationToken ct)
    {
        var n = 0;
        while (n < into.Length)
        {
            int read;
            try { read = await body.ReadAsync(into.AsMemory(n), ct).ConfigureAwait(false); }
            catch (BadHttpRequestException) { break; }
            if (read == 0) break;
            n += read;
        }
        return n;
    }
}
