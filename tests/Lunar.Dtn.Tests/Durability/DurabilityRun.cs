using Lunar.Dtn.Tests.Storage;

namespace Lunar.Dtn.Tests.Durability;

/// <summary>
/// The setting of one kill -9 test: a scratch directory with a data directory per node and a shared
/// drop directory, the board the host processes post to, and waits that report what they waited for.
/// </summary>
internal sealed class DurabilityRun : IDisposable
{
    private readonly ScratchDir _dir;
    private readonly List<HostProcess> _processes = [];

    public DurabilityRun(string purpose)
    {
        _dir = new ScratchDir(purpose);
        Drop = _dir.Sub("drop");
        Directory.CreateDirectory(Drop);
    }

    public LineBoard Board { get; } = new();

    public string Drop { get; }

    /// <summary>While this file exists the file drop is down both ways.</summary>
    public string DownMarker => Path.Combine(Drop, "link-down");

    public HostProcess Start(string id, string peer, params string[] extra)
    {
        string[] args = ["--id", id, "--peer", peer, "--data", _dir.Sub("data-" + id), "--drop", Drop,
            "--poll-ms", "10", "--retransmit-ms", "1000", "--max-retransmit-ms", "2000", .. extra];
        var host = HostProcess.Start($"{id}#{_processes.Count(p => p.Name.StartsWith(id + "#", StringComparison.Ordinal)) + 1}", Board, args);
        _processes.Add(host);
        return host;
    }

    /// <summary>
    /// Waits for a condition over the hosts' output; fails at once if a host that was not killed exits.
    /// The default timeout is generous because the build machine is shared (two cores, often busy);
    /// an idle machine meets each wait in a few seconds.
    /// </summary>
    public void Wait(Func<bool> condition, string awaited, int seconds = 45)
    {
        HostProcess? dead = null;
        Board.WaitUntil(() => condition() || (dead = _processes.FirstOrDefault(p => p.Exited && !p.Killed)) is not null,
            TimeSpan.FromSeconds(seconds), awaited, Context);
        if (dead is not null && !Read(condition)) Assert.Fail($"{dead.Name} exited while waiting for {awaited}\n{Read(Context)}");
    }

    /// <summary>Reads process output consistently (under the board's gate).</summary>
    public T Read<T>(Func<T> read) { lock (Board.Gate) return read(); }

    public void Read(Action read) { lock (Board.Gate) read(); }

    /// <summary>Complete bundle files waiting in a node's inbox.</summary>
    public string[] Inbox(string id)
    {
        var inbox = Path.Combine(Drop, "to-" + id);
        return Directory.Exists(inbox) ? Directory.GetFiles(inbox, "*.bundle").Select(Path.GetFileName).OfType<string>().ToArray() : [];
    }

    public string Context() => string.Join('\n', _processes.Select(p => p.Tail()));

    public void Dispose()
    {
        foreach (var p in _processes) p.Dispose();
        _dir.Dispose();
    }
}
