namespace Lunar.Dtn.Agent.Drivers;

/// <summary>How one driver step ended, with a sentence that goes into the report's detail.</summary>
public sealed record StepResult(bool Succeeded, string Detail)
{
    public static StepResult Ok(string detail) => new(true, detail);

    public static StepResult Fail(string detail) => new(false, detail);
}
