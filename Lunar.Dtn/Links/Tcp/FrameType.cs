namespace Lunar.Dtn.Links.Tcp;

/// <summary>
/// The frames of the TCP convergence layer, all inside the TLS session (<see cref="LinkTls"/>). Types 1 and 2 were the
/// plaintext hello and key proof of <c>lunar-dtn/tcp/1</c>; the TLS handshake replaced them, and a peer sending one is cut off.
/// </summary>
public enum FrameType : byte
{
    /// <summary>One sync bundle.</summary>
    Bundle = 3,
    /// <summary>Nothing to say, still here.</summary>
    Keepalive = 4,
}
