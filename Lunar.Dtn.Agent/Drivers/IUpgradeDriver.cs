namespace Lunar.Dtn.Agent.Drivers;

/// <summary>
/// What actually changes the server. Each step returns whether it succeeded and a sentence for the report; a step that
/// runs past <c>limit</c> (the runner's deadline, the phase timeout or what is left of the rollback deadline) or past
/// the driver's own timeout is stopped and fails. Cancelling <c>ct</c> stops the step and throws.
/// </summary>
public interface IUpgradeDriver
{
    Task<StepResult> PreCheckAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct);

    Task<StepResult> ApplyAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct);

    Task<StepResult> SmokeTestAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct);

    Task<StepResult> RollbackAsync(UpgradeContext context, TimeSpan? limit, CancellationToken ct);
}
