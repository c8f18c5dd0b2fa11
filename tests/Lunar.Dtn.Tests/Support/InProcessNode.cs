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

    private InProcessNode(WebApplication app, TempDir? ownDir, string url)
    {
        _app = app;
        _ownDir = ownDir;
        Url = url;
        Http = new HttpClient { BaseAddress = new Uri(url) };
    }

    public string Url { get; }

    public HttpClient Http { get; }

    public Replica Replica => _app.Services.GetRequiredService<Replica>();

    public NodeLinks Links => _app.Services.GetRequiredService<NodeLinks>();

    public static async Task<InProcessNode> StartAsync(NodeRole role, string id, IEnumerable<string>? extraArgs = null, string? dataDir = null)
    {
        var own = dataDir is null ? new TempDir() : null;
        var args = new List<string> { $"--Node:Id={id}", $"--Node:DataDir={dataDir ?? own!.Sub("data")}", "--Urls=http://127.0.0.1:0" };
        args.AddRange(extraArgs ?? []);
        var errors = new StringWriter();
        var app = NodeHost.Build(args.ToArray(), role, errors, TimeProvider.System)
            ?? throw new InvalidOperationException("node did not build: " + errors);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessNode(app, own, url);
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
