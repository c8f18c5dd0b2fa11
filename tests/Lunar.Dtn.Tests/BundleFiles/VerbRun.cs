namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>What one run of a bundle verb printed and returned.</summary>
public sealed record VerbRun(int Code, string Out, string Err)
{
    public IReadOnlyList<string> ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {Code}\nstdout:\n{Out}\nstderr:\n{Err}";
}
