using System.Text;

namespace Lunar.Dtn.Swarm;

/// <summary>The 68-byte BEP 3 handshake: protocol string, 8 reserved bytes, info-hash, peer id.</summary>
public sealed record PeerHandshake(byte[] InfoHash, byte[] PeerId)
{
    public const int Length = 68;
    private static readonly byte[] Protocol = Encoding.ASCII.GetBytes("BitTorrent protocol");

    public byte[] Encode()
    {
        var b = new byte[Length];
        b[0] = (byte)Protocol.Length;
        Protocol.CopyTo(b, 1);
        // Reserved bytes all zero: we offer no extensions (no DHT, no fast, no extension protocol).
        InfoHash.CopyTo(b, 28);
        PeerId.CopyTo(b, 48);
        return b;
    }

    /// <summary>Reads a handshake; null when the bytes are not the BitTorrent protocol.</summary>
    public static async Task<PeerHandshake?> ReadAsync(Stream s, CancellationToken ct)
    {
        var b = new byte[Length];
        await s.ReadExactlyAsync(b, ct).ConfigureAwait(false);
        if (b[0] != Protocol.Length || !b.AsSpan(1, Protocol.Length).SequenceEqual(Protocol)) return null;
        return new PeerHandshake(b[28..48], b[48..68]);
    }

    /// <summary>A fresh peer id, "-LA0100-" (agent) or "-LM0100-" (mirror) and 12 random characters (the BEP 20 style).</summary>
    public static byte[] NewPeerId(bool mirror)
    {
        var id = new byte[20];
        Encoding.ASCII.GetBytes(mirror ? MirrorPrefix : AgentPrefix).CopyTo(id, 0);
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        for (var i = 8; i < 20; i++) id[i] = (byte)alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
        return id;
    }

    public const string AgentPrefix = "-LA0100-";
    public const string MirrorPrefix = "-LM0100-";

    public static bool IsMirror(byte[] peerId) => peerId.AsSpan().StartsWith(Encoding.ASCII.GetBytes(MirrorPrefix));
}
