using System.Reflection;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Orchestration;

/// <summary>
/// Issue 16, defect 5: the executor handed <see cref="Lunar.Dtn.Orchestration.Executor.StatusWritten"/> handlers the replica's
/// live state outside the replica's lock, so a merge on another thread could change it (and break an enumeration) while a
/// handler read it. Handlers now run under the replica's lock: the state they get cannot change while they read it.
/// </summary>
public sealed class StatusWrittenStateTests
{
    [Fact]
    public void StatusWrittenHandlers_ReadTheStateUnderTheReplicasLock()
    {
        var world = new ExecutionWorld(3, servers: 10);
        world.Moon.Control(world.CreateCampaign("camp-1", approvalRequired: false), CampaignControl.Run, "ops");
        var gate = (Lock)typeof(Replica).GetField("_gate", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(world.Moon)!;
        var calls = 0;
        var outside = 0;
        world.Executor.StatusWritten += (_, _, _, state) =>
        {
            calls++;
            if (!gate.IsHeldByCurrentThread) outside++;
            _ = state.Servers.Count(kv => kv.Value.Status is not null); // what the invariant monitor does: enumerate
        };

        Assert.True(world.Executor.Tick() > 0, "the executor should start servers");

        Assert.True(calls > 0, "StatusWritten should have been raised for every start");
        Assert.Equal(0, outside);
    }
}
