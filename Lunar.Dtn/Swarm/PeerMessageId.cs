namespace Lunar.Dtn.Swarm;

/// <summary>BEP 3 peer wire message ids (a length prefix of 0 is a keepalive and has none).</summary>
public enum PeerMessageId : byte
{
    Choke = 0,
    Unchoke = 1,
    Interested = 2,
    NotInterested = 3,
    Have = 4,
    Bitfield = 5,
    Request = 6,
    Piece = 7,
    Cancel = 8,
    Port = 9,
}
