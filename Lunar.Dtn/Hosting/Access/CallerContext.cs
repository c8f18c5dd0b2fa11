using Lunar.Dtn.Security;
using Microsoft.AspNetCore.Http;

namespace Lunar.Dtn.Hosting.Access;

/// <summary>The authenticated caller of a request, as the <see cref="AccessGate"/> found it.</summary>
public static class CallerContext
{
    /// <summary>The caller; throws when the gate let the request through without one (a bug: every data endpoint needs one).</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Features.Get<Caller>() ?? throw new InvalidOperationException($"{context.Request.Path} reached its handler without an authenticated caller");

    /// <summary>The caller, or null on endpoints that also answer without a certificate (health, the tracker's passkey).</summary>
    public static Caller? CallerOrNull(this HttpContext context) => context.Features.Get<Caller>();
}
