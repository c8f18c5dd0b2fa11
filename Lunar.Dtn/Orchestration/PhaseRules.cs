using Lunar.Dtn.Model;

namespace Lunar.Dtn.Orchestration;

/// <summary>
/// Which phase may follow which in one upgrade attempt. The happy path only moves forward (an agent may
/// skip a phase it has nothing to do in); any unfinished phase may fail; a failure only moves on to
/// rolling back and rolled back. Complete and rolled back are final.
/// </summary>
public static class PhaseRules
{
    private static readonly UpgradePhase[] Happy =
    [
        UpgradePhase.Queued, UpgradePhase.PreCheck, UpgradePhase.Downloading, UpgradePhase.Verifying,
        UpgradePhase.Applying, UpgradePhase.SmokeTest, UpgradePhase.Validated, UpgradePhase.Complete,
    ];

    private static readonly UpgradePhase[] Failure = [UpgradePhase.Failed, UpgradePhase.RollingBack, UpgradePhase.RolledBack];

    /// <summary>Null if an agent may report <paramref name="next"/> after <paramref name="current"/>, else why not.</summary>
    public static string? CheckReport(UpgradePhase current, UpgradePhase next)
    {
        if (current.IsFinal()) return $"the attempt is already {current.ToName()}";
        if (next is UpgradePhase.Idle or UpgradePhase.Queued or UpgradePhase.TimedOut)
            return $"an agent does not report {next.ToName()}; the executor sets it";
        var hc = Array.IndexOf(Happy, current);
        var hn = Array.IndexOf(Happy, next);
        var fc = Array.IndexOf(Failure, current);
        var fn = Array.IndexOf(Failure, next);
        if (current == UpgradePhase.TimedOut)
            return fn >= 0 ? null : $"the executor timed this attempt out; only failed, rolling-back or rolled-back may follow, not {next.ToName()}";
        if (hc >= 0 && hn > hc) return null;
        // An agent restarted before applying starts the attempt again from its pre-check: nothing was changed yet.
        if (next == UpgradePhase.PreCheck && current is UpgradePhase.PreCheck or UpgradePhase.Downloading or UpgradePhase.Verifying) return null;
        // A rollback that itself failed leaves the server failed: an operator must look at it.
        if (current == UpgradePhase.RollingBack && next == UpgradePhase.Failed) return null;
        if (hc >= 0 && fn >= 0) return null;
        if (fc >= 0 && fn > fc) return null;
        return $"{next.ToName()} cannot follow {current.ToName()}";
    }

    /// <summary>Phases in which an attempt is under way (counts against concurrency).</summary>
    public static bool IsUnderWay(UpgradePhase p) => p != UpgradePhase.Idle && !p.IsFinal();
}
