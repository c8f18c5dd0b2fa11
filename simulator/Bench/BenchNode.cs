using Lunar.Dtn.Hosting;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// A real node service inside the simulator's process: <see cref="NodeHost.Build"/> (Kestrel on 127.0.0.1
/// with a free port, LiteDB in <paramref name="dataDir"/>, the TCP link layer), as the executables run it.
/// </summary>
public sealed class BenchNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly string _keysDir;

    private BenchNode(WebApplication app, string keysDir)
    {
        _app = app;
        _keysDir = keysDir;
    }

    public Replica Replica => _app.Services.GetRequiredService<Replica>();

    /// <summary>The service's container (its snapshot inputs, its options).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The HTTPS API's base address, e.g. https://127.0.0.1:41234.</summary>
    public Uri Url => new(_app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    public NodeLinks Links => _app.Services.GetRequiredService<NodeLinks>();

    /// <summary>The node's TCP link to <paramref name="peer"/>, once one exists (dialled or accepted).</summary>
    public TcpPeerLink? LinkTo(string peer) =>
        Links.Peers.Select(p => p.Link).OfType<TcpPeerLink>().FirstOrDefault(l => l.PeerId == peer);

    /// <summary>The sync state of <paramref name="peer"/>, once a link to it exists.</summary>
    public PeerSync? SyncWith(string peer) => Links.Peers.Select(p => p.Sync).FirstOrDefault(s => s.PeerId == peer);

    public static async Task<BenchNode> StartAsync(NodeRole role, string id, string dataDir, string keysDir, IEnumerable<string> linkArgs)
    {
        string[] args =
        [
            $"--Node:Id={id}", $"--Node:DataDir={dataDir}", "--Urls=https://127.0.0.1:0",
            $"--Node:Constellation={Path.Combine(keysDir, Security.DevConstellation.FileName)}", $"--Node:KeyFile={Path.Combine(keysDir, id + ".key")}",
            .. linkArgs,
        ];
        var errors = new StringWriter();
        var app = NodeHost.Build(args, role, errors, TimeProvider.System)
            ?? throw new InvalidOperationException($"the {id} node did not start: {errors}");
        await app.StartAsync().ConfigureAwait(false);
        return new BenchNode(app, keysDir);
    }

    /// <summary>
    /// A client of this node presenting principal <paramref name="id"/>'s certificate from the keys folder (the benchmark
    /// runs with real certificates, as a deployment does: there is no setting that turns authentication off).
    /// </summary>
    public HttpClient ClientAs(string id, TimeSpan timeout) =>
        Security.Tls.ClientCredentials.FromFolder(_keysDir, id).CreateClient(Url, timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
