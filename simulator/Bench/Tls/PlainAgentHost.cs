using Lunar.Dtn.Hosting;
using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Simulator.Bench.Tls;

/// <summary>
/// The comparison the TLS benchmark needs and no configuration of a node can give: the node's own agent endpoints, over
/// the same replica and executor, on a plain-HTTP Kestrel built here in-process with the node's other middleware
/// (problem details, exception handler, status pages, security headers, routing), so that the difference measured is
/// TLS and the access gate. It stands the route's agent in as the caller, since there is no certificate to name one. It
/// exists only inside <c>bench tls</c>.
/// </summary>
public sealed class PlainAgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlainAgentHost(WebApplication app) => _app = app;

    public Uri Url => new(_app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    public static async Task<PlainAgentHost> StartAsync(IServiceProvider node)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(node.GetRequiredService<Replica>());
        builder.Services.AddSingleton(node.GetRequiredService<Executor>());
        builder.Services.AddSingleton(node.GetRequiredService<NodeIdentity>());
        builder.Services.AddSingleton(node.GetRequiredService<TimeProvider>());
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => 500 });
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseRouting();
        app.Use((context, next) =>
        {
            if (context.Request.RouteValues["id"] is string id)
                context.Features.Set(new Caller(id, PrincipalKind.Agent, Roles.Agent, 1));
            return next(context);
        });
        app.MapAgentEndpoints();
        await app.StartAsync().ConfigureAwait(false);
        return new PlainAgentHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
