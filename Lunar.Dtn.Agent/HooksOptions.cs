namespace Lunar.Dtn.Agent;

/// <summary>
/// The "Agent:Hooks" section: shell commands (run with /bin/sh -c) that upgrade the real server, each with a timeout.
/// A per-hook timeout overrides <see cref="TimeoutSeconds"/>; the rollback hook's must fit inside the rollback deadline.
/// </summary>
public sealed class HooksOptions
{
    public string PreCheck { get; set; } = "";
    public string Apply { get; set; } = "";
    public string SmokeTest { get; set; } = "";
    public string Rollback { get; set; } = "";

    /// <summary>Default timeout of every hook.</summary>
    public double TimeoutSeconds { get; set; } = 300;

    public double? PreCheckTimeoutSeconds { get; set; }
    public double? ApplyTimeoutSeconds { get; set; }
    public double? SmokeTestTimeoutSeconds { get; set; }
    public double? RollbackTimeoutSeconds { get; set; }

    public TimeSpan PreCheckTimeout => TimeSpan.FromSeconds(PreCheckTimeoutSeconds ?? TimeoutSeconds);
    public TimeSpan ApplyTimeout => TimeSpan.FromSeconds(ApplyTimeoutSeconds ?? TimeoutSeconds);
    public TimeSpan SmokeTestTimeout => TimeSpan.FromSeconds(SmokeTestTimeoutSeconds ?? TimeoutSeconds);
    public TimeSpan RollbackTimeout => TimeSpan.FromSeconds(RollbackTimeoutSeconds ?? TimeoutSeconds);

    internal void Validate(List<string> errors, bool required, double rollbackDeadlineSeconds)
    {
        if (required)
        {
            // Pre-check is optional; without apply there is no upgrade, without a smoke test no success can be
            // declared, and without rollback a failure could not be undone.
            if (string.IsNullOrWhiteSpace(Apply)) errors.Add("Agent:Hooks:Apply is required with Agent:Driver=hooks");
            if (string.IsNullOrWhiteSpace(SmokeTest)) errors.Add("Agent:Hooks:SmokeTest is required with Agent:Driver=hooks");
            if (string.IsNullOrWhiteSpace(Rollback)) errors.Add("Agent:Hooks:Rollback is required with Agent:Driver=hooks");
        }
        Positive(errors, "Agent:Hooks:TimeoutSeconds", TimeoutSeconds);
        Positive(errors, "Agent:Hooks:PreCheckTimeoutSeconds", PreCheckTimeoutSeconds);
        Positive(errors, "Agent:Hooks:ApplyTimeoutSeconds", ApplyTimeoutSeconds);
        Positive(errors, "Agent:Hooks:SmokeTestTimeoutSeconds", SmokeTestTimeoutSeconds);
        Positive(errors, "Agent:Hooks:RollbackTimeoutSeconds", RollbackTimeoutSeconds);
        if (required && RollbackTimeout.TotalSeconds > rollbackDeadlineSeconds)
            errors.Add($"Agent:Hooks:RollbackTimeoutSeconds ({RollbackTimeout.TotalSeconds}) must not exceed Agent:RollbackDeadlineSeconds ({rollbackDeadlineSeconds}), or the deadline could not hold");
    }

    private static void Positive(List<string> errors, string key, double? value)
    {
        if (value is { } v && (v <= 0 || double.IsNaN(v))) errors.Add($"{key} must be a positive number of seconds (got {v})");
    }
}
