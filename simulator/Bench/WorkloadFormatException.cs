namespace Lunar.Dtn.Simulator.Bench;

/// <summary>A workload line that cannot be used; the message names the source, the line and the field.</summary>
public sealed class WorkloadFormatException : FormatException
{
    public WorkloadFormatException(string source, int line, string? field, string problem)
        : base($"{source} line {line}: {(field is null ? "" : $"field '{field}' ")}{problem}")
    {
        Line = line;
        Field = field;
    }

    public WorkloadFormatException() { }

    public WorkloadFormatException(string message) : base(message) { }

    public WorkloadFormatException(string message, Exception inner) : base(message, inner) { }

    public int Line { get; }

    public string? Field { get; }
}
