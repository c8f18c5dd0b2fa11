using System.Security.Cryptography;
using System.Text;

namespace Lunar.Dtn.Security.Tls;

/// <summary>
/// The per-agent tracker passkey, for BitTorrent clients that cannot present a client certificate (as private trackers
/// issue one per user). The agent holds the passkey; the constellation holds only its SHA-256, so a copy of the
/// constellation does not let anyone announce.
/// </summary>
public static class TrackerPasskey
{
    public static string Hash(string passkey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(passkey.Trim())));

    /// <summary>True when <paramref name="passkey"/> hashes to <paramref name="expectedHash"/> (compared in constant time).</summary>
    public static bool Matches(string passkey, string? expectedHash) =>
        expectedHash is { Length: 64 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(passkey)), Encoding.ASCII.GetBytes(expectedHash.ToLowerInvariant()));
}
