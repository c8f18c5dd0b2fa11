namespace Lunar.Dtn.Artifacts;

/// <summary>One bit per chunk of an artifact: set when that chunk is held. Its bytes are what a receiver persists and acknowledges.</summary>
public sealed class ChunkBitmap
{
    private readonly byte[] _bits;

    public ChunkBitmap(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _bits = new byte[ByteLength(count)];
    }

    private ChunkBitmap(int count, byte[] bits)
    {
        Count = count;
        _bits = bits;
        Held = 0;
        for (var i = 0; i < count; i++) if (Has(i)) Held++;
    }

    /// <summary>Chunks in the artifact.</summary>
    public int Count { get; }

    /// <summary>Chunks held.</summary>
    public int Held { get; private set; }

    public bool IsComplete => Held == Count;

    public static int ByteLength(int count) => (count + 7) / 8;

    /// <summary>
    /// Reads a bitmap of <paramref name="count"/> chunks; null when <paramref name="bytes"/> cannot be one (wrong
    /// length, or bits set past the last chunk), so a damaged file or a lying peer is noticed, not trusted.
    /// </summary>
    public static ChunkBitmap? FromBytes(int count, ReadOnlySpan<byte> bytes)
    {
        if (count < 0 || bytes.Length != ByteLength(count)) return null;
        if (count % 8 != 0 && (bytes[^1] >> (count % 8)) != 0) return null;
        return new ChunkBitmap(count, bytes.ToArray());
    }

    public bool Has(int index) => index >= 0 && index < Count && (_bits[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>Marks <paramref name="index"/> held; false when it already was.</summary>
    public bool Set(int index)
    {
        if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index), $"chunk {index} of {Count}");
        if (Has(index)) return false;
        _bits[index >> 3] |= (byte)(1 << (index & 7));
        Held++;
        return true;
    }

    /// <summary>The byte that holds <paramref name="index"/>'s bit, and where it sits (to persist one byte, not the whole map).</summary>
    public (int Position, byte Value) ByteOf(int index) => (index >> 3, _bits[index >> 3]);

    /// <summary>Chunks not held, in order.</summary>
    public IEnumerable<int> Missing()
    {
        for (var i = 0; i < Count; i++) if (!Has(i)) yield return i;
    }

    public byte[] ToBytes() => (byte[])_bits.Clone();

    public ChunkBitmap Clone() => new(Count, ToBytes());
}
