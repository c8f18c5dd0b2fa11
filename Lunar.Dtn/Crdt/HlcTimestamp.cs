using MessagePack;

namespace Lunar.Dtn.Crdt;

/// <summary>
/// A hybrid logical clock reading: milliseconds of physical time in the high 48 bits and a logical
/// counter in the low 16, packed into one long so that it orders, compares and encodes as an integer.
/// </summary>
[MessagePackObject]
public readonly record struct HlcTimestamp([property: Key(0)] long Value) : IComparable<HlcTimestamp>
{
    private const int CounterBits = 16;
    private const long CounterMask = (1L << CounterBits) - 1;

    public static readonly HlcTimestamp Zero = new(0);

    public static HlcTimestamp From(long wallMs, int counter)
    {
        if (wallMs < 0) throw new ArgumentOutOfRangeException(nameof(wallMs));
        if (counter < 0 || counter > CounterMask) throw new ArgumentOutOfRangeException(nameof(counter));
        return new HlcTimestamp((wallMs << CounterBits) | (long)counter);
    }

    [IgnoreMember] public long WallMs => Value >> CounterBits;
    [IgnoreMember] public int Counter => (int)(Value & CounterMask);
    [IgnoreMember] public DateTimeOffset Wall => DateTimeOffset.FromUnixTimeMilliseconds(WallMs);

    public int CompareTo(HlcTimestamp other) => Value.CompareTo(other.Value);
    public static bool operator <(HlcTimestamp a, HlcTimestamp b) => a.Value < b.Value;
    public static bool operator >(HlcTimestamp a, HlcTimestamp b) => a.Value > b.Value;
    public static bool operator <=(HlcTimestamp a, HlcTimestamp b) => a.Value <= b.Value;
    public static bool operator >=(HlcTimestamp a, HlcTimestamp b) => a.Value >= b.Value;

    public override string ToString() => $"{Wall:O}#{Counter}";
}
