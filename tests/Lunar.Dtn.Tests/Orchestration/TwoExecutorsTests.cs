using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Orchestration;

/// <summary>
/// Issue 16, defect 9: each executor ignores its own writes when deciding whether to rebuild its plan, and it told them apart
/// with a <c>[ThreadStatic] static</c> flag shared by every executor in the process. Two executors in one process (the
/// simulator, tests) mis-filtered: a change reaching the second executor's replica while the first was writing, on the same
/// thread (a synchronous link delivering the first's write), was taken for the second's own and its plan went stale.
/// </summary>
public sealed class TwoExecutorsTests
{
    [Fact]
    public void ChangeReachingOneExecutor_WhileAnotherWritesOnTheSameThread_IsNotTakenForItsOwn()
    {
        var a = new ExecutionWorld(1, servers: 10);
        var b = new ExecutionWorld(2, servers: 10);
        a.Moon.Control(a.CreateCampaign("camp-a", approvalRequired: false), Lunar.Dtn.Model.CampaignControl.Run, "ops");
        var campB = b.CreateCampaign("camp-b", approvalRequired: false);
        Assert.Equal(0, b.Executor.Tick()); // b's plan: camp-b not running yet

        // While a writes (starting its servers), b's replica is told to run camp-b, on a's thread.
        var relayed = false;
        a.Moon.Changed += () =>
        {
            if (relayed) return;
            relayed = true;
            b.Moon.Control(campB, Lunar.Dtn.Model.CampaignControl.Run, "ops");
        };
        Assert.True(a.Executor.Tick() > 0, "a should start servers (its write relays the change to b)");
        Assert.True(relayed);

        Assert.True(b.Executor.Tick() > 0, "b should see camp-b running and start its servers");
    }
}
