using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Hosting.Access;

/// <summary>
/// Decides, before any handler runs, whether a request may reach it. In order, each step cheaper than the next:
/// <list type="number">
/// <item>the Host header is one of this node's names (DNS rebinding: a page from another site resolved to us is refused);</item>
/// <item>a state-changing request is same-origin (a browser's cross-site form or fetch carries the certificate too, so 403);</item>
/// <item>the endpoint names what it needs (<see cref="EndpointAccess"/>); none means refused, so a forgotten role fails closed;</item>
/// <item>health answers anyone (liveness, no data);</item>
/// <item>the client certificate names a principal of the constellation version in force, not revoked, not expired (401 otherwise);</item>
/// <item>that principal has the role, or is the agent of the server the route names (403 naming what is missing);</item>
/// <item>an <c>X-Operator</c> header, if sent, names the same principal (the audit log names the certificate's principal).</item>
/// </list>
/// Every refusal is a problem whose detail says why; the refusal costs the node nothing it keeps, so everyone else is served.
/// </summary>
public sealed partial class AccessGate(RequestDelegate next, Replica replica, TimeProvider time, AllowedHosts hosts, ILogger<AccessGate> log)
{
    /// <summary>How long a connection's authentication is reused before the certificate is checked again (expiry moves on).</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    private const string CacheKey = "lunar.caller";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!hosts.Allows(context.Request.Host.Host))
        {
            await Refuse(context, StatusCodes.Status421MisdirectedRequest, "Unknown host",
                $"this node does not serve the host name '{context.Request.Host.Host}'; it serves {hosts} (Node:HostNames)").ConfigureAwait(false);
            return;
        }
        // Before anything about the endpoint: a cross-site state change is refused whatever it targets.
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && SameOrigin.Problem(context.Request) is { } cross)
        {
            LogRefused(context.Request.Method, context.Request.Path, "a cross-site page", cross);
            await Refuse(context, StatusCodes.Status403Forbidden, "Cross-site request refused", cross).ConfigureAwait(false);
            return;
        }
        var access = context.GetEndpoint()?.Metadata.GetMetadata<EndpointAccess>();
        if (context.GetEndpoint() is null) { await next(context).ConfigureAwait(false); return; } // 404/405 answer on their own
        if (access is null)
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "Forbidden", $"{context.Request.Path} declares no role, so nobody may call it").ConfigureAwait(false);
            return;
        }
        var lookup = await AuthenticateAsync(context).ConfigureAwait(false);
        if (access.Anonymous)
        {
            if (lookup is { Ok: true } anonymousOk) context.Features.Set(anonymousOk.Caller!);
            await next(context).ConfigureAwait(false);
            return;
        }
        if (lookup is not { Ok: true } found)
        {
            var why = lookup?.Problem ?? "no client certificate: present a certificate issued by this constellation's certificate authority " +
                "(curl --cert P.pem --cacert ca.crt; a browser: import P.p12)";
            LogRefused(context.Request.Method, context.Request.Path, "anonymous", why);
            await Refuse(context, StatusCodes.Status401Unauthorized, "Unauthorized", why).ConfigureAwait(false);
            return;
        }
        var caller = found.Caller!;
        if (Forbidden(context, access, caller) is { } forbidden)
        {
            LogRefused(context.Request.Method, context.Request.Path, caller.Id, forbidden);
            await Refuse(context, StatusCodes.Status403Forbidden, "Forbidden", forbidden).ConfigureAwait(false);
            return;
        }
        if (context.Request.Headers.TryGetValue("X-Operator", out var claimed) && !string.IsNullOrWhiteSpace(claimed) && claimed.ToString() != caller.Id)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "Invalid request",
                $"X-Operator names '{claimed}' but the certificate is {caller.Id}'s: the audit log names the authenticated principal; drop the header").ConfigureAwait(false);
            return;
        }
        context.Features.Set(caller);
        await next(context).ConfigureAwait(false);
    }

    private static string? Forbidden(HttpContext context, EndpointAccess access, Caller caller)
    {
        if (access.AgentRouteValue is { } name)
        {
            var server = context.Request.RouteValues[name]?.ToString() ?? "";
            if (caller.IsAgentOf(server)) return null;
            return caller.Kind == PrincipalKind.Agent
                ? $"agent '{caller.Id}' may act only for its own server, not for '{server}'"
                : $"only the agent of server '{server}' may call this; {caller} is not an agent";
        }
        if (access.AnyAgent && caller.Kind == PrincipalKind.Agent) return null;
        return caller.Has(access.Role!) ? null : $"{caller.Id} ({caller.Role}) lacks the role '{access.Role}' this needs";
    }

    /// <summary>The caller of this connection's certificate, checked once per connection per constellation version (and each minute).</summary>
    private async Task<CallerLookup?> AuthenticateAsync(HttpContext context)
    {
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted).ConfigureAwait(false);
        if (certificate is null) return null;
        var trust = replica.Trust;
        var now = time.GetUtcNow();
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items?.TryGetValue(CacheKey, out var cached) == true && cached is CachedCaller c && c.Version == trust.Version && now - c.At < Recheck)
            return c.Lookup;
        var lookup = trust.Authenticate(certificate, now);
        if (items is not null) items[CacheKey] = new CachedCaller(trust.Version, now, lookup);
        return lookup;
    }

    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Caller}: {Why}")]
    private partial void LogRefused(string method, string path, string caller, string why);

    private sealed record CachedCaller(int Version, DateTimeOffset At, CallerLookup Lookup);
}
