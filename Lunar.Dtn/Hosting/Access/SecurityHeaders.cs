using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Lunar.Dtn.Hosting.Access;

/// <summary>
/// Headers on every answer that keep a browser from being turned against the node: no inline script and nothing from
/// elsewhere (CSP), never framed (clickjacking), no MIME sniffing, no referrer, HTTPS only. The API reference (Scalar)
/// needs inline script of its own and gets a CSP that allows just that, still framed by nobody.
/// </summary>
public static class SecurityHeaders
{
    public const string DashboardPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string ReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var h = context.Response.Headers;
        h.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar") ? ReferencePolicy : DashboardPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h.StrictTransportSecurity = "max-age=31536000";
        await next(context).ConfigureAwait(false);
    });
}
