namespace Lunar.Dtn.Agent;

/// <summary>The "Agent:Simulated" section: how long a simulated apply takes and how often a simulated upgrade fails.</summary>
public sealed class SimulatedOptions
{
    public double ApplySeconds { get; set; } = 5;

    /// <summary>0–1; whether a given (server, attempt) fails is decided by a hash, so a rerun behaves the same.</summary>
    public double FailureRate { get; set; }

    internal void Validate(List<string> errors)
    {
        if (ApplySeconds < 0 || double.IsNaN(ApplySeconds)) errors.Add($"Agent:Simulated:ApplySeconds must be ≥ 0 (got {ApplySeconds})");
        if (FailureRate is < 0 or > 1 || double.IsNaN(FailureRate)) errors.Add($"Agent:Simulated:FailureRate must be between 0 and 1 (got {FailureRate})");
    }
}
