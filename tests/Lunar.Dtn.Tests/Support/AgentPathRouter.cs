using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// The handler of <see cref="InProcessNode.Http"/>: a request to an agent endpoint (<c>/api/v1/agents/{id}/...</c>)
/// presents the certificate of agent <c>id</c> when the node's credentials folder has one, as that server's agent would;
/// every other request presents the default principal's. Tests of who may call what use explicit clients instead
/// (<see cref="InProcessNode.ClientAs"/>).
/// </summary>
public sealed partial class AgentPathRouter(string credentialsDir, string defaultPrincipal) : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _byPrincipal = new(StringComparer.Ordinal);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var principal = defaultPrincipal;
        var match = AgentPath().Match(request.RequestUri?.AbsolutePath ?? "");
        if (match.Success && File.Exists(Path.Combine(credentialsDir, match.Groups[1].Value + ".pem"))) principal = match.Groups[1].Value;
        var invoker = _byPrincipal.GetOrAdd(principal, p => new HttpMessageInvoker(Lunar.Dtn.Security.Tls.ClientCredentials.FromFolder(credentialsDir, p).CreateHandler()));
        return invoker.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var i in _byPrincipal.Values) i.Dispose();
        base.Dispose(disposing);
    }

    [GeneratedRegex("^/api/v1/agents/([^/]+)/")]
    private static partial Regex AgentPath();
}
