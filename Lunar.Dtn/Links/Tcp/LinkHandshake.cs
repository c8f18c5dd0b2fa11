using System.Security.Cryptography;
using System.Text;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Links.Tcp;

/// <summary>
/// Mutual proof of node identity: each side sends its id and a fresh nonce, then signs both nonces and
/// both ids with its node key; each checks the other's signature against the constellation. A peer with
/// an unknown or revoked key, a bad proof, or garbage instead of a hello is refused.
/// </summary>
public static class LinkHandshake
{
    public const string Protocol = "lunar-dtn/tcp/1";
    private const int MaxHandshakeFrame = 1024;

    /// <summary>Runs the handshake on a fresh connection; returns the proven peer id.</summary>
    public static async Task<string> RunAsync(Stream stream, NodeKey self, TrustStore trust, string? expectedPeer, CancellationToken ct)
    {
        var myNonce = RandomNumberGenerator.GetBytes(32);
        await FrameCodec.WriteAsync(stream, FrameType.Hello, Serialization.Serialize((Protocol, self.Id, myNonce)), ct).ConfigureAwait(false);

        var hello = await ExpectAsync(stream, FrameType.Hello, ct).ConfigureAwait(false);
        string protocol, peerId;
        byte[] peerNonce;
        try { (protocol, peerId, peerNonce) = Serialization.Deserialize<(string, string, byte[])>(hello); }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException)
        {
            throw new LinkProtocolException("the hello is not valid MessagePack");
        }
        if (protocol != Protocol) throw new LinkProtocolException($"peer speaks '{protocol}', not '{Protocol}'");
        if (peerNonce is null || peerNonce.Length != 32) throw new LinkProtocolException("the hello's nonce is not 32 bytes");
        if (expectedPeer is not null && peerId != expectedPeer) throw new LinkProtocolException($"dialled '{expectedPeer}' but '{peerId}' answered");
        if (peerId == self.Id) throw new LinkProtocolException($"peer claims to be this node ('{peerId}')");
        var key = trust.NodeKey(peerId);
        if (!key.Ok) throw new LinkProtocolException(key.Problem!);

        await FrameCodec.WriteAsync(stream, FrameType.Proof, self.Sign(Transcript(self.Id, peerId, myNonce, peerNonce)), ct).ConfigureAwait(false);
        var proof = await ExpectAsync(stream, FrameType.Proof, ct).ConfigureAwait(false);
        if (!NodeKey.Verify(key.PublicKey, Transcript(peerId, self.Id, peerNonce, myNonce), proof))
            throw new LinkProtocolException($"'{peerId}' failed to prove it holds its node key");
        return peerId;
    }

    private static async Task<byte[]> ExpectAsync(Stream stream, FrameType type, CancellationToken ct)
    {
        var frame = await FrameCodec.ReadAsync(stream, MaxHandshakeFrame, ct).ConfigureAwait(false)
            ?? throw new LinkProtocolException($"connection closed before the {type}");
        if (frame.Type != type) throw new LinkProtocolException($"expected {type}, got {frame.Type}");
        return frame.Payload;
    }

    /// <summary>What the signer signs: who it is, whom it talks to, and both fresh nonces (its own first).</summary>
    private static byte[] Transcript(string signer, string other, byte[] signerNonce, byte[] otherNonce) =>
        [.. Encoding.UTF8.GetBytes($"{Protocol}\n{signer}\n{other}\n"), .. signerNonce, .. otherNonce];
}
