namespace Lunar.Dtn.Links.Tcp;

/// <summary>The frames of the TCP convergence layer.</summary>
public enum FrameType : byte
{
    /// <summary>First frame each way: protocol, node id, a fresh nonce.</summary>
    Hello = 1,
    /// <summary>Second frame each way: the sender's signature over both nonces and both ids.</summary>
    Proof = 2,
    /// <summary>One sync bundle.</summary>
    Bundle = 3,
    /// <summary>Nothing to say, still here.</summary>
    Keepalive = 4,
}
