using System.Security.Cryptography;
using System.Text;

namespace Lunar.Dtn.Security;

/// <summary>
/// Deterministic keys derived from ids, so that the simulator, benchmarks and test processes agree on
/// keys and trust without exchanging anything. The seeds are public: never use these for a real deployment
/// (real nodes get fresh keys from <c>constellation dev</c> or their operators).
/// </summary>
public static class SimulationKeys
{
    public static NodeKey For(string id) =>
        NodeKey.FromSeed(id, SHA256.HashData(Encoding.UTF8.GetBytes("lunar-dtn-simulation-key:" + id)));

    /// <summary>A trust store of simulation keys: every node id, and approvers as (id, role).</summary>
    public static TrustStore Trust(IEnumerable<string> nodes, IEnumerable<(string Id, string Role)>? approvers = null) =>
        new(1,
            nodes.Distinct(StringComparer.Ordinal).Select(id => new Principal(id, "node", For(id).PublicKeyHex)),
            (approvers ?? []).Select(a => new Principal(a.Id, a.Role, For(a.Id).PublicKeyHex)),
            []);
}
