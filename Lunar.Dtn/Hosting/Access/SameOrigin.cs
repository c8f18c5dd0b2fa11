using Microsoft.AspNetCore.Http;

namespace Lunar.Dtn.Hosting.Access;

/// <summary>
/// Whether a state-changing request comes from this node's own pages. A browser presents its client certificate on
/// cross-site requests too, so the certificate alone does not stop a hostile page's form POST (CSRF). Browsers say where
/// a request comes from (Fetch Metadata's <c>Sec-Fetch-Site</c>, and <c>Origin</c> on every cross-origin POST); tools
/// such as curl, the agent and the CLI send neither and are not browsers.
/// </summary>
public static class SameOrigin
{
    /// <summary>Null when the request is same-origin or not from a browser; else why it is refused.</summary>
    public static string? Problem(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not "same-origin" and not "none")
            return $"a state-changing request from another site (Sec-Fetch-Site: {site}) is refused: use this node's own dashboard";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        var own = $"{request.Scheme}://{request.Host.Value}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"a state-changing request from origin '{origin}' is refused: only this node's own pages ({own}) may change state";
    }
}
