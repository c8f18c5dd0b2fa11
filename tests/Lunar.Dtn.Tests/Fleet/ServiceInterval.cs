namespace Lunar.Dtn.Tests.Fleet;

/// <summary>
/// Part of the time one attempt kept its server out of service, as the Moon's own timestamps say: from the earliest
/// out-of-service phase seen (its <c>since</c>, at or after the true start) to the final phase's <c>since</c> (exact),
/// or open (<see cref="long.MaxValue"/>) if no final phase was seen.
/// </summary>
public sealed record ServiceInterval(string ServerId, string Group, int Tier, bool Staging, int Attempt, long FromMs, long ToMs)
{
    public bool Overlaps(ServiceInterval other) => FromMs < other.ToMs && other.FromMs < ToMs;

    public override string ToString() =>
        $"{ServerId} ({Group}) attempt {Attempt} [{DateTimeOffset.FromUnixTimeMilliseconds(FromMs):HH:mm:ss.fff} – " +
        (ToMs == long.MaxValue ? "open" : $"{DateTimeOffset.FromUnixTimeMilliseconds(ToMs):HH:mm:ss.fff}") + "]";
}
