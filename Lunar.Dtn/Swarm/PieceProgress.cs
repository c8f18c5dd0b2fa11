namespace Lunar.Dtn.Swarm;

/// <summary>A piece being assembled from 16 KiB blocks: what arrived and how many peers each missing block is requested from.</summary>
internal sealed class PieceProgress(int size)
{
    public byte[] Data { get; } = new byte[size];
    public bool[] Got { get; } = new bool[(size + PeerMessage.BlockSize - 1) / PeerMessage.BlockSize];
    public int[] RequestedFrom { get; } = new int[(size + PeerMessage.BlockSize - 1) / PeerMessage.BlockSize];
    public int GotCount { get; set; }
    public bool Complete => GotCount == Got.Length;
    public int BlockLength(int block) => Math.Min(PeerMessage.BlockSize, Data.Length - block * PeerMessage.BlockSize);
}
