using System.Diagnostics;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Abuse;

/// <summary>
/// A Moon node whose constellation has many principals: ada (admin), viewers v00..vNN, and agents, each with its own
/// certificate, so that tests can open requests as many different callers.
/// </summary>
public sealed class AbuseWorld : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    private AbuseWorld(TempDir dir, InProcessNode node)
    {
        _dir = dir;
        Node = node;
    }

    public InProcessNode Node { get; }

    public string CredentialsDir => _dir.Sub("c");

    public static string Viewer(int i) => $"v{i:D2}";

    public static async Task<AbuseWorld> StartAsync(int viewers, IEnumerable<string>? agents = null, IEnumerable<string>? extraArgs = null)
    {
        var dir = new TempDir("lunar-abuse");
        var c = dir.Sub("c");
        var operators = new List<(string Id, string Role)> { ("ada", Roles.Admin) };
        operators.AddRange(Enumerable.Range(0, viewers).Select(i => (Viewer(i), Roles.Viewer)));
        DevConstellation.Create(c, ["moon"], TestCredentials.DefaultApprovers, operators, agents);
        var args = new List<string> { $"--Node:Constellation={Path.Combine(c, DevConstellation.FileName)}", $"--Node:KeyFile={Path.Combine(c, "moon.key")}" };
        args.AddRange(extraArgs ?? []);
        var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon", args, dataDir: dir.Sub("data"));
        return new AbuseWorld(dir, node);
    }

    /// <summary>One client per principal (it opens as many connections as requests in flight).</summary>
    public HttpClient As(string principal)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(principal, out var client))
                _clients[principal] = client = TestCredentials.Client(CredentialsDir, principal, Node.Url, TimeSpan.FromSeconds(60));
            return client;
        }
    }

    /// <summary>How long GET /healthz takes now: the median of five, each measured alone (a bound check, not a benchmark).</summary>
    public async Task<TimeSpan> HealthzMedianAsync()
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            using var r = await Node.Http.GetAsync("/healthz");
            watch.Stop();
            Assert.Equal(200, (int)r.StatusCode);
            times.Add(watch.Elapsed);
        }
        return times.Order().ElementAt(2);
    }

    /// <summary>The working set of this process (the node, and the test's own clients: an upper bound on the node's).</summary>
    public static long WorkingSetBytes()
    {
        using var me = Process.GetCurrentProcess();
        me.Refresh();
        return me.WorkingSet64;
    }

    /// <summary>Reads the next "event: snapshot" of a feed; fails naming what it waited for.</summary>
    public static async Task<JsonElement> NextSnapshotAsync(StreamReader reader, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        string? eventName = null;
        try
        {
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "snapshot") return JsonDocument.Parse(line[6..]).RootElement.Clone();
            }
        }
        catch (OperationCanceledException) { }
        throw new TimeoutException($"timed out waiting for {what}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients.Values) c.Dispose();
        await Node.DisposeAsync();
        _dir.Dispose();
    }
}
