using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Tests.Support;

/// <summary>A real node service (Kestrel on 127.0.0.1, LiteDB in a temp folder) running inside the test process.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDir? _ownDir;

    private InProcessNode(WebApplication app, TempDir? ownDir, string url, string credentials, string principal)
    {
        _app = app;
        _ownDir = ownDir;
        Url = url;
        CredentialsDir = credentials;
        Http = new HttpClient(new AgentPathRouter(credentials, principal), disposeHandler: true) { BaseAddress = new Uri(url) };
    }

    public string Url { get; }

    /// <summary>The folder with the constellation's CA and the principals' certificates (the node's own development folder without Node:Constellation).</summary>
    public string CredentialsDir { get; }

    /// <summary>A client of this node presenting <paramref name="principal"/>'s certificate (a principal of <see cref="CredentialsDir"/>).</summary>
    public HttpClient ClientAs(string principal) => TestCredentials.Client(CredentialsDir, principal, Url);

    /// <summary>A client presenting no certificate.</summary>
    public HttpClient Anonymous() => TestCredentials.Anonymous(CredentialsDir, Url);

    public HttpClient Http { get; }

    public Replica Replica => _app.Services.GetRequiredService<Replica>();

    /// <summary>The node's services (its feed, its caps, its endpoints), for tests that check what it holds.</summary>
    public IServiceProvider Services => _app.Services;

    public NodeLinks Links => _app.Services.GetRequiredService<NodeLinks>();


    /// <param name="principal">Whose certificate <see cref="Http"/> presents: by default the admin (ada, or "admin" in a node's own development folder).</param>
    /// <param name="agents">
    /// Server ids whose agents get certificates: the node then runs on a development constellation (in its temp folder) of
    /// itself, the test operators (<see cref="TestCredentials.Operators"/>) and these agents.
    /// </param>
    public static async Task<InProcessNode> StartAsync(NodeRole role, string id, IEnumerable<string>? extraArgs = null, string? dataDir = null, string? principal = null,
        IEnumerable<string>? agents = null)
    {
        var own = dataDir is null ? new TempDir() : null;
        var data = dataDir ?? own!.Sub("data");
        var args = new List<string> { $"--Node:Id={id}", $"--Node:DataDir={data}", "--Urls=https://127.0.0.1:0" };
        if (agents is not null)
        {
            var dir = (own ?? throw new ArgumentException("agents need the node's own temp folder", nameof(agents))).Sub("credentials");
            TestCredentials.Create(dir, [id], [], agents);
            args.AddRange([$"--Node:Constellation={dir}/constellation.json", $"--Node:KeyFile={dir}/{id}.key"]);
        }
        args.AddRange(extraArgs ?? []);
        var constellation = args.LastOrDefault(a => a.StartsWith("--Node:Constellation=", StringComparison.Ordinal))?.Split('=', 2)[1];
        var credentials = constellation is null ? Path.Combine(data, "dev-constellation") : Path.GetDirectoryName(Path.GetFullPath(constellation))!;
        var errors = new StringWriter();
        var app = NodeHost.Build(args.ToArray(), role, errors, TimeProvider.System)
            ?? throw new InvalidOperationException("node did not build: " + errors);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        principal ??= File.Exists(Path.Combine(credentials, "ada.pem")) ? "ada" : NodeRuntime.DevAdmin;
        return new InProcessNode(app, own, url, credentials, principal);
    }

    public async Task<JsonElement> GetJsonAsync(string path) => await Http.GetFromJsonAsync<JsonElement>(path);

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, object? body)
    {
        using var response = body is string raw
            ? await Http.PostAsync(path, new StringContent(raw, System.Text.Encoding.UTF8, "application/json"))
            : await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ownDir?.Dispose();
    }
}
