using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lunar.Dtn.Hosting.Access;

/// <summary>
/// GET /api/v1/me: who the node takes the caller to be (the principal its certificate names, under the constellation
/// version in force), so that the dashboard shows whose name the audit log will carry, and a script can check its
/// certificate before it acts.
/// </summary>
public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me", (HttpContext h, Replica r) =>
            {
                var caller = h.Caller();
                var trust = r.Trust;
                var entry = (caller.Kind switch
                {
                    PrincipalKind.Node => trust.Nodes,
                    PrincipalKind.Approver => trust.Approvers,
                    PrincipalKind.Operator => trust.Operators,
                    _ => (IEnumerable<Principal>)trust.Agents,
                }).FirstOrDefault(p => p.Id == caller.Id);
                return Results.Ok(new MeView(caller.Id, caller.Kind.ToString().ToLowerInvariant(), caller.Role, caller.ConstellationVersion, entry?.TlsNotAfter));
            })
            .Needs(Roles.Viewer)
            .WithTags("Access").WithName("GetMe")
            .WithSummary("Who the node takes you to be")
            .WithDescription("The principal your client certificate names: id (the audit log's actor), kind (operator or approver; agents are not viewers), " +
                "role, the constellation version in force, and until when that version lets your certificate act (tlsNotAfter). 401 without a certificate.")
            .Produces<MeView>();
        return app;
    }
}
