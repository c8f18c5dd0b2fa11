using Lunar.Dtn.Security;

namespace Lunar.Dtn.Testing;

/// <summary>
/// Fixed test identities shared by the test assembly and the replica host process (this file is compiled
/// into both), so two processes agree on keys and trust without exchanging anything.
/// </summary>
internal static class TestConstellation
{
    public static readonly IReadOnlyList<string> Ids = ["earth", "moon", "tier1-alpha", "tier1-beta"];

    /// <summary>The same deterministic key as the in-process test nodes use.</summary>
    public static NodeKey KeyFor(string id) => SimulationKeys.For(id);

    /// <summary>Trust in the fixed ids plus any others named.</summary>
    public static TrustStore Trust(params string[] extra)
    {
        return SimulationKeys.Trust(Ids.Concat(extra));
    }
}
