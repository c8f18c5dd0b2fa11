using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links;

namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// What loss on the Earth link cost, watched from outside the sync code. A loss shows as a retransmission: the sender's
/// timer fired because a bundle, or the acknowledgement of it, never arrived. The ledger opens an episode at that
/// retransmission, with the sender's last push as the target (what the receiver should have held by the time that push
/// would have arrived on a loss-free link), and closes it when the receiver holds the target; the delay beyond that
/// loss-free arrival, divided by the round trip, is the extra round trips the loss cost. Lost acknowledgements cost a
/// retransmission but no delay. It also counts the bundles the link dropped while it was up (blackout drops aside).
/// Memory is bounded: the first <see cref="KeepEpisodes"/> episodes are kept whole, the rest only in the totals.
/// </summary>
public sealed class LossLedger
{
    public const int KeepEpisodes = 200;

    private readonly TimeProvider _time;
    private readonly DateTimeOffset _origin;
    private readonly LinkConditions _conditions;
    private readonly Direction[] _directions;
    private readonly List<LossEpisode> _episodes = [];
    private readonly int[] _histogram = new int[5];

    public LossLedger(TimeProvider time, DateTimeOffset origin, LinkConditions conditions, SimulatedLink link,
        (SimNode Node, ObservedLinkEnd End) earth, (SimNode Node, ObservedLinkEnd End) moon)
    {
        _time = time;
        _origin = origin;
        _conditions = conditions;
        _directions = [new Direction(this, "earthToMoon", earth, moon), new Direction(this, "moonToEarth", moon, earth)];
        link.A.StateChanged += up => { foreach (var d in _directions) d.LinkChanged(up); };
    }

    public TimeSpan RoundTrip => _conditions.OneWayDelay * 2;

    public int Episodes { get; private set; }

    /// <summary>Episodes cut short, and retransmissions not charged to loss, because of a blackout or a crash.</summary>
    public int Interrupted { get; private set; }

    public double ExtraSecondsTotal { get; private set; }

    public double ExtraRoundTripsMax { get; private set; }

    public IReadOnlyList<LossEpisode> KeptEpisodes => _episodes;

    /// <summary>Episodes by extra round trips, rounded: 0, 1, 2, 3, 4 or more.</summary>
    public IReadOnlyList<int> Histogram => _histogram;

    public long LostEarthToMoon => _directions[0].RandomLostSoFar;

    public long LostMoonToEarth => _directions[1].RandomLostSoFar;

    /// <summary>Bundles dropped by loss so far, both directions (blackout drops aside).</summary>
    public long LostTotal => LostEarthToMoon + LostMoonToEarth;

    /// <summary>A node crashed or restarted: open episodes end without a cost (the crash, not the loss, decides what follows).</summary>
    public void Interrupt()
    {
        foreach (var d in _directions) d.Recover();
    }

    /// <summary>Seconds a loss-free link needs to deliver <paramref name="bytes"/> pushed at once: one light time plus their transmission.</summary>
    public double LossFreeSeconds(long bytes) =>
        _conditions.OneWayDelay.TotalSeconds + (_conditions.BandwidthBitsPerSecond <= 0 ? 0 : bytes * 8.0 / _conditions.BandwidthBitsPerSecond);

    public double RoundTrips(double seconds) => RoundTrip <= TimeSpan.Zero ? 0 : Math.Round(seconds / RoundTrip.TotalSeconds, 2);

    /// <param name="delayed">False when the receiver already held the data as the episode opened: only an acknowledgement was lost.</param>
    private void Close(Direction d, Episode e, bool interrupted, bool delayed)
    {
        if (interrupted) { Interrupted++; return; }
        var now = _time.GetUtcNow();
        var extra = delayed ? Math.Max(0, (now - e.DueAt).TotalSeconds) : 0;
        var trips = RoundTrips(extra);
        Episodes++;
        ExtraSecondsTotal += extra;
        ExtraRoundTripsMax = Math.Max(ExtraRoundTripsMax, trips);
        _histogram[Math.Min(4, (int)Math.Round(trips, MidpointRounding.AwayFromZero))]++;
        if (_episodes.Count < KeepEpisodes)
            _episodes.Add(new LossEpisode(Math.Round((e.OpenedAt - _origin).TotalHours, 4), d.Name, e.Retransmissions,
                LostTotalNow() - e.LostAtPush, Math.Round(extra, 3), trips));
    }

    private long LostTotalNow() => _directions.Sum(d => d.LostNow);

    private sealed class Episode
    {
        public required DateTimeOffset OpenedAt { get; init; }
        public required DateTimeOffset DueAt { get; init; }
        public required VersionVector Target { get; init; }
        public required long LostAtPush { get; init; }
        public int Retransmissions { get; set; }
    }

    /// <summary>One direction of the link: the sender's pushes and retransmissions, the receiver's arrivals.</summary>
    private sealed class Direction
    {
        private readonly LossLedger _ledger;
        private readonly SimNode _sender, _receiver;
        private readonly ObservedLinkEnd _end;
        private long _seenRetransmissions;
        private DateTimeOffset _pushAt = DateTimeOffset.MinValue;
        private long _pushBytes;
        private VersionVector _pushTarget = VersionVector.Empty;
        private long _lostAtPush;
        private long _lostWhenUp;
        private long _lostBefore;
        private bool _up = true;
        private Episode? _open;
        private bool _recovering;
        private VersionVector? _recoverTarget;

        public Direction(LossLedger ledger, string name, (SimNode Node, ObservedLinkEnd End) sender, (SimNode Node, ObservedLinkEnd End) receiver)
        {
            _ledger = ledger;
            Name = name;
            _sender = sender.Node;
            _receiver = receiver.Node;
            _end = sender.End;
            _end.Offering += OnOffering;
            receiver.End.AfterReceive += OnArrival;
        }

        public string Name { get; }

        /// <summary>This end's drop counter (sends while down and blackout drops included).</summary>
        public long LostNow => _end.Inner.BundlesLost;

        private void OnOffering(int bytes)
        {
            var now = _ledger._time.GetUtcNow();
            var retransmissions = _sender.Retransmissions;
            if (retransmissions < _seenRetransmissions) _seenRetransmissions = retransmissions;
            if (retransmissions > _seenRetransmissions)
            {
                // This push is a retransmission: a loss happened. Open an episode for what the last push should have delivered.
                var fired = (int)(retransmissions - _seenRetransmissions);
                _seenRetransmissions = retransmissions;
                // Not a loss: the receiver is down (a crash, not the link, kept it from answering), or nothing has been
                // pushed since a crash or blackout reset the ledger, so there is no loss-free arrival to compare with.
                // After a crash, retransmissions first resend what died with the crashed node: the crash's cost, not the link's.
                if (_open is null && (!_receiver.Up || _pushAt == DateTimeOffset.MinValue || _recovering)) { _ledger.Interrupted++; return; }
                _open ??= new Episode
                {
                    OpenedAt = now,
                    DueAt = _pushAt + TimeSpan.FromSeconds(_ledger.LossFreeSeconds(_pushBytes)),
                    Target = _pushTarget,
                    LostAtPush = _lostAtPush,
                };
                _open.Retransmissions += fired;
                if (_open.Retransmissions == fired && _receiver.Replica.Vector.Dominates(_open.Target))
                {
                    // The receiver already held it all: the acknowledgement was lost (or late), the data was not delayed.
                    var e = _open;
                    _open = null;
                    _ledger.Close(this, e, interrupted: false, delayed: false);
                }
                return;
            }
            if (now == _pushAt) { _pushBytes += bytes; return; }
            var vector = _sender.Replica.Vector;
            if (vector.Equals(_pushTarget)) return; // an acknowledgement alone: nothing new to deliver
            _pushAt = now;
            _pushBytes = bytes;
            _pushTarget = vector;
            _lostAtPush = _ledger.LostTotalNow();
            _recoverTarget ??= _recovering ? vector : null;
        }

        private void OnArrival()
        {
            if (_recovering && _recoverTarget is { } t && _receiver.Up && _receiver.Replica.Vector.Dominates(t)) { _recovering = false; _recoverTarget = null; }
            if (_open is null || !_receiver.Up || !_receiver.Replica.Vector.Dominates(_open.Target)) return;
            var e = _open;
            _open = null;
            _ledger.Close(this, e, interrupted: false, delayed: true);
        }

        public void LinkChanged(bool up)
        {
            if (up == _up) return;
            _up = up;
            if (up) _lostWhenUp = LostNow;
            else
            {
                _lostBefore += LostNow - _lostWhenUp;
                Reset();
            }
        }

        /// <summary>Drops of this end while the link was up (they are the loss draws; drops in a blackout are the blackout's).</summary>
        public long RandomLostSoFar => _lostBefore + (_up ? LostNow - _lostWhenUp : 0);

        /// <summary>A node crashed or restarted: until the receiver holds the first push made after it, losses are the crash's.</summary>
        public void Recover()
        {
            Reset();
            _recovering = true;
            _recoverTarget = null;
        }

        public void Reset()
        {
            if (_open is { } e) { _open = null; _ledger.Close(this, e, interrupted: true, delayed: false); }
            _pushAt = DateTimeOffset.MinValue;
            _pushTarget = VersionVector.Empty;
            _pushBytes = 0;
        }
    }
}
