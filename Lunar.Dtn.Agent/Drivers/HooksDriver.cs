using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Agent.Drivers;

/// <summary>
/// Upgrades the real server through the configured shell hooks. Each hook gets the upgrade as environment variables:
/// LUNAR_SERVER_ID, LUNAR_CAMPAIGN_ID, LUNAR_ATTEMPT, LUNAR_VERSION, LUNAR_ARTIFACT_SHA256, LUNAR_ARTIFACT_ID and
/// LUNAR_PREVIOUS_VERSION (empty when unknown).
/// </summary>
public sealed class HooksDriver(HooksOptions hooks, TimeProvider time, ILogger<HooksDriver> log) : IUpgradeDriver
{
    private readonly ShellCommand _shell = new(time, log);

    public Task<StepResult> PreCheckAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(hooks.PreCheck)
            ? Task.FromResult(StepResult.Ok("no pre-check hook configured"))
            : Run("pre-check", hooks.PreCheck, hooks.PreCheckTimeout, context, limit, ct);

    public Task<StepResult> ApplyAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct) =>
        Run("apply", hooks.Apply, hooks.ApplyTimeout, context, limit, ct);

    public Task<StepResult> SmokeTestAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct) =>
        Run("smoke-test", hooks.SmokeTest, hooks.SmokeTestTimeout, context, limit, ct);

    public Task<StepResult> RollbackAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct) =>
        Run("rollback", hooks.Rollback, hooks.RollbackTimeout, context, limit, ct);

    private Task<StepResult> Run(string name, string command, TimeSpan own, UpgradeContext c, TimeSpan? limit, CancellationToken ct)
    {
        var timeout = limit is { } l && l < own ? l : own;
        var env = new Dictionary<string, string>
        {
            ["LUNAR_SERVER_ID"] = c.ServerId,
            ["LUNAR_CAMPAIGN_ID"] = c.CampaignId,
            ["LUNAR_ATTEMPT"] = c.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LUNAR_VERSION"] = c.Version,
            ["LUNAR_ARTIFACT_SHA256"] = c.Sha256,
            ["LUNAR_ARTIFACT_ID"] = c.ArtifactId,
            ["LUNAR_PREVIOUS_VERSION"] = c.PreviousVersion ?? "",
        };
        return _shell.RunAsync(name, command, env, timeout, ct);
    }
}
