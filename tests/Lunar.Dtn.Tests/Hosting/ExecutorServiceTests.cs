using System.Text.Json;
using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Hosting.Metrics;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Storage;
using Lunar.Dtn.Tests.Orchestration;
using Lunar.Dtn.Tests.Support;
using Lunar.Dtn.Transfer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.Hosting;

/// <summary>
/// Issue 16, defect 3: the scheduling loop caught two exception types, so a LiteDB exception from a pass ended it with no log
/// line. Whatever a pass throws, the loop logs it and goes on scheduling, and /healthz/ready says the node is not ready while
/// its passes fail. The loop waits on the real clock (short ticks); the test waits for its log lines.
/// </summary>
public sealed class ExecutorServiceTests
{
    private static readonly ExecutorOptions Options = new() { StagingGreenFailureShare = 0.34, TickInterval = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task PassThrowingALiteDbException_IsLogged_TheLoopGoesOn_AndTheNodeReportsNotReady()
    {
        var store = new FailingStore();
        var world = new ExecutionWorld(1, servers: 10, options: Options, store: store);
        world.Moon.Control(world.CreateCampaign("c1", approvalRequired: false), Lunar.Dtn.Model.CampaignControl.Run, "ops");
        var log = new RecordingLogger();
        using var service = new ExecutorService(world.Executor, Options, world.Moon, TimeProvider.System, log.For<ExecutorService>());
        store.Fail = true; // the pass that starts the first servers cannot commit
        await service.StartAsync(CancellationToken.None);
        try
        {
            var first = await log.WaitForAsync(l => l.StartsWith("Error:", StringComparison.Ordinal), "the failed pass to be logged");
            Assert.Contains("LiteException: disk I/O failed on purpose", first, StringComparison.Ordinal);
            // The replica refuses all work after a failed commit: the next passes fail too, and the loop still runs them.
            await log.WaitForAsync(l => l.Contains("InvalidOperationException", StringComparison.Ordinal), "a later pass to run (and fail) after the first failure");
            Assert.True(service.Running, "the scheduling loop must survive a failing pass");

            var (status, body) = await ReadinessAsync(world, service);
            Assert.Equal(503, status);
            Assert.Equal("not-ready", body.GetProperty("status").GetString());
            Assert.StartsWith("failing: ", body.GetProperty("checks").GetProperty("executor").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task PassFailingOnce_IsLogged_AndTheNextPassesMakeTheNodeReadyAgain()
    {
        var world = new ExecutionWorld(2, servers: 10, options: Options);
        world.Moon.Control(world.CreateCampaign("c1", approvalRequired: false), Lunar.Dtn.Model.CampaignControl.Run, "ops");
        var throwOnce = 1;
        world.Executor.StatusWritten += (_, _, _, _) =>
        {
            if (Interlocked.Exchange(ref throwOnce, 0) == 1) throw new LiteDB.LiteException(0, "a listener failed on purpose");
        };
        var log = new RecordingLogger();
        using var service = new ExecutorService(world.Executor, Options, world.Moon, TimeProvider.System, log.For<ExecutorService>());
        await service.StartAsync(CancellationToken.None);
        try
        {
            await log.WaitForAsync(l => l.StartsWith("Error:", StringComparison.Ordinal) && l.Contains("a listener failed on purpose", StringComparison.Ordinal), "the failed pass to be logged");
            await log.WaitForAsync(l => l.Contains("succeed again", StringComparison.Ordinal), "the executor to say its passes succeed again");
            var (status, body) = await ReadinessAsync(world, service);
            Assert.Equal(200, status);
            Assert.Equal("running", body.GetProperty("checks").GetProperty("executor").GetString());
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>GET /healthz/ready's handler against a node made of <paramref name="world"/>'s replica and <paramref name="service"/>.</summary>
    private static async Task<(int Status, JsonElement Body)> ReadinessAsync(ExecutionWorld world, ExecutorService service)
    {
        using var dir = new TempDir();
        var content = new ArtifactContentStore(dir.Sub("artifacts"));
        using var receiver = new ArtifactReceiver(world.Moon, content);
        var node = new NodeOptions { Id = "moon", AirGapped = true, DataDir = dir.Sub("node") };
        // The links need the node's certificate: a node runtime of its own development constellation gives one.
        using var runtime = NodeRuntime.Open(node, [], TimeProvider.System, NullLogger.Instance);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(world.Moon)
            .AddSingleton(node)
            .AddSingleton(new NodeLinks(world.Moon, runtime, new RelayOptions(), node, TimeProvider.System, NullLogger<NodeLinks>.Instance, content, receiver))
            .AddSingleton<IHostedService>(service)
            .BuildServiceProvider();
        await using (services)
        {
            var http = new DefaultHttpContext { RequestServices = services };
            http.Response.Body = new MemoryStream();
            await Readiness.Check(http).ExecuteAsync(http);
            http.Response.Body.Position = 0;
            return (http.Response.StatusCode, JsonDocument.Parse(http.Response.Body).RootElement.Clone());
        }
    }

    /// <summary>An in-memory store whose commits throw LiteDB's exception while <see cref="Fail"/> is set (a failing disk).</summary>
    private sealed class FailingStore : IReplicaStore
    {
        private readonly MemoryReplicaStore _inner = new();

        public volatile bool Fail;

        public StoredReplica Load() => _inner.Load();

        public void Commit(ReplicaCommit commit)
        {
            if (Fail) throw new LiteDB.LiteException(0, "disk I/O failed on purpose");
            _inner.Commit(commit);
        }

        public void Dispose() => _inner.Dispose();
    }
}
