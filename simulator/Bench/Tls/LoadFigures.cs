namespace Lunar.Dtn.Simulator.Bench.Tls;

/// <summary>One load run: how many requests completed, how fast, and their latency percentiles.</summary>
public sealed record LoadFigures(long Requests, long Errors, double RequestsPerSecond, double P50Ms, double P99Ms)
{
    public static LoadFigures Of(IReadOnlyList<List<double>> latenciesPerClient, long errors, TimeSpan elapsed)
    {
        var all = latenciesPerClient.SelectMany(l => l).Order().ToArray();
        double At(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        return new LoadFigures(all.Length, errors, all.Length / elapsed.TotalSeconds, At(0.50), At(0.99));
    }
}
