using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Links;

/// <summary>
/// An in-memory link between two nodes in virtual time: one-way delay, a bandwidth that serialises
/// bundles one after another in priority order, seeded loss, duplication and reordering, and blackouts
/// from a contact plan or cut by hand. Everything happens on timers of the injected <see cref="TimeProvider"/>,
/// so a fake clock makes a run deterministic.
/// </summary>
public sealed class SimulatedLink
{
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly DateTimeOffset _origin;
    private readonly List<ITimer> _planTimers = [];
    private bool _cut;

    public SimulatedLink(string a, string b, LinkConditions conditions, TimeProvider time, Random random)
    {
        _time = time;
        _random = random;
        _origin = time.GetUtcNow();
        Conditions = conditions;
        A = new SimulatedLinkEnd(this, b);
        B = new SimulatedLinkEnd(this, a);
        A.Remote = B;
        B.Remote = A;
        foreach (var blackout in conditions.Blackouts)
        {
            _planTimers.Add(time.CreateTimer(_ => RaiseState(), null, blackout.Start, Timeout.InfiniteTimeSpan));
            _planTimers.Add(time.CreateTimer(_ => RaiseState(), null, blackout.End, Timeout.InfiniteTimeSpan));
        }
    }

    public LinkConditions Conditions { get; }

    /// <summary>The end used by the first node (its peer is the second).</summary>
    public SimulatedLinkEnd A { get; }

    /// <summary>The end used by the second node.</summary>
    public SimulatedLinkEnd B { get; }

    internal TimeProvider Time => _time;

    internal int Epoch { get; private set; }

    public bool IsUp => !_cut && !InBlackout(_time.GetUtcNow() - _origin);

    /// <summary>Cuts the link by hand (a blackout not in the plan). Bundles in flight are lost.</summary>
    public void Cut()
    {
        if (_cut) return;
        _cut = true;
        RaiseState();
    }

    public void Restore()
    {
        if (!_cut) return;
        _cut = false;
        RaiseState();
    }

    private bool InBlackout(TimeSpan t) => Conditions.Blackouts.Any(b => t >= b.Start && t < b.End);

    private void RaiseState()
    {
        var up = IsUp;
        if (!up) Epoch++;
        A.RaiseState(up);
        B.RaiseState(up);
    }

    internal TimeSpan TransmissionTime(int bytes) =>
        Conditions.BandwidthBitsPerSecond <= 0 ? TimeSpan.Zero
            : TimeSpan.FromSeconds(bytes * 8.0 / Conditions.BandwidthBitsPerSecond);

    internal (bool Lost, bool Duplicate, TimeSpan Jitter) Draw()
    {
        var lost = Conditions.Loss > 0 && _random.NextDouble() < Conditions.Loss;
        var dup = Conditions.Duplication > 0 && _random.NextDouble() < Conditions.Duplication;
        var jitter = Conditions.ReorderJitter > TimeSpan.Zero ? Conditions.ReorderJitter * _random.NextDouble() : TimeSpan.Zero;
        return (lost, dup, jitter);
    }
}
