namespace Lunar.Dtn.Tests.Abuse;

/// <summary>
/// The abuse tests hold hundreds of connections and measure memory and latency bounds: they run one at a time and not
/// alongside the rest of the suite, so the bounds measure the node and not a starved 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AbuseCollection
{
    public const string Name = "abuse (bounds, run alone)";
}
