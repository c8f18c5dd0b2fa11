using System.Security.Cryptography;
using System.Text;

namespace Lunar.Dtn.Agent.Drivers;

/// <summary>
/// A pretend server for fleets of simulated agents: apply takes <see cref="SimulatedOptions.ApplySeconds"/>, and
/// whether an upgrade fails is drawn from a hash of (server, attempt), so a rerun fails the same servers, and a retry
/// (a new attempt) draws again. A failing upgrade fails its smoke test (or, for a quarter of them, its apply).
/// </summary>
public sealed class SimulatedDriver(SimulatedOptions options, TimeProvider time) : IUpgradeDriver
{
    public Task<StepResult> PreCheckAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct) =>
        Task.FromResult(StepResult.Ok("simulated pre-check passed"));

    public async Task<StepResult> ApplyAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct)
    {
        var duration = TimeSpan.FromSeconds(options.ApplySeconds);
        if (limit is { } l && l < duration)
        {
            await Task.Delay(l, time, ct);
            return StepResult.Fail($"simulated apply needs {duration.TotalSeconds} s, more than the {l.TotalSeconds:0.###} s allowed");
        }
        await Task.Delay(duration, time, ct);
        return Draw(context) is { } d && d < 0.25 * options.FailureRate
            ? StepResult.Fail("simulated apply failed")
            : StepResult.Ok($"simulated apply of {context.Version} took {duration.TotalSeconds} s");
    }

    public Task<StepResult> SmokeTestAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct) =>
        Task.FromResult(Draw(context) < options.FailureRate
            ? StepResult.Fail("simulated smoke test failed")
            : StepResult.Ok("simulated smoke test passed"));

    public Task<StepResult> RollbackAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct) =>
        Task.FromResult(StepResult.Ok($"simulated rollback to {context.PreviousVersion ?? "the previous version"}"));

    /// <summary>A number in [0, 1) fixed by server and attempt (SHA-256, not string.GetHashCode, which changes per process).</summary>
    private static double Draw(UpgradeContext context)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{context.ServerId}/{context.Attempt}"));
        return BitConverter.ToUInt64(hash, 0) / (ulong.MaxValue + 1.0);
    }
}
