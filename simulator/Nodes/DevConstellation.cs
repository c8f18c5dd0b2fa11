using System.Security.Cryptography;
using System.Text;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Simulator.Nodes;

/// <summary>
/// Deterministic keys and a trust store for simulated nodes. The seeds derive from the node ids, so they
/// are public: for the simulator and benchmarks only, never for a real deployment.
/// </summary>
public static class DevConstellation
{
    public static NodeKey KeyFor(string id) =>
        NodeKey.FromSeed(id, SHA256.HashData(Encoding.UTF8.GetBytes("lunar-dtn-simulator-seed:" + id)));

    public static TrustStore Trust(IEnumerable<NodeKey> nodes) =>
        new(1, nodes.Select(k => new Principal(k.Id, "node", k.PublicKeyHex)), [], []);
}
