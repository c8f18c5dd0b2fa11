namespace Lunar.Dtn.Tests.Properties;

/// <summary>Three values of one kind taken from the same simulated scenario, so they share keys and conflicts.</summary>
public sealed record Triple<T>(T A, T B, T C, Scenario? Source)
{
    public Triple<TOut> Map<TOut>(Func<T, TOut> f) => new(f(A), f(B), f(C), Source);

    public override string ToString() =>
        $"A = {Canon.Json(A)}\nB = {Canon.Json(B)}\nC = {Canon.Json(C)}\nfrom {Source?.ToString() ?? "a direct generator"}";
}
