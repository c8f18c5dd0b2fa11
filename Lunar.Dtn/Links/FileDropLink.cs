using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Links;

/// <summary>
/// A link between processes through a shared directory (the file drop / USB convergence layer).
/// A bundle for peer Y becomes one file in <c>root/to-Y/</c>, written to a temporary name, fsynced and
/// renamed, so a reader never sees a partial bundle. The local inbox <c>root/to-X/</c> is scanned on a
/// timer of the injected clock; each complete file is handed to <see cref="Received"/> in name order
/// (priority, then send order) and deleted only after the handler returned: the replica has committed
/// it by then, and a crash before the delete only redelivers a duplicate.
/// </summary>
public sealed class FileDropLink : IBundleLink, IDisposable
{
    private readonly string _outbox;
    private readonly string _inbox;
    private readonly string _marker;
    private readonly TimeProvider _time;
    private readonly FileDropOptions _options;
    private readonly Lock _sendGate = new();
    private readonly Lock _pollGate = new();
    private ITimer? _timer;
    private long _lastStamp;
    private bool _running;
    private bool _reportedUp;

    public FileDropLink(string root, string localId, string peerId, TimeProvider time, FileDropOptions? options = null)
    {
        FileDropNames.CheckId(localId, nameof(localId));
        FileDropNames.CheckId(peerId, nameof(peerId));
        LocalId = localId;
        PeerId = peerId;
        _time = time;
        _options = options ?? new FileDropOptions();
        _outbox = FileDropNames.Inbox(root, peerId);
        _inbox = FileDropNames.Inbox(root, localId);
        _marker = Path.Combine(root, _options.DownMarker);
    }

    public string LocalId { get; }

    public string PeerId { get; }

    /// <summary>Up while started and no down marker lies in the drop directory.</summary>
    public bool IsUp => Volatile.Read(ref _running) && !File.Exists(_marker);

    public event Action<ReadOnlyMemory<byte>>? Received;

    public event Action<bool>? StateChanged;

    /// <summary>A bundle file was handed over and deleted (its name).</summary>
    public event Action<string>? Delivered;

    /// <summary>A bundle file was put into the peer's inbox (its name).</summary>
    public event Action<string>? Dropped;

    /// <summary>Writing or delivering failed; a file not delivered stays and is retried on the next scan.</summary>
    public event Action<string, Exception>? Faulted;

    /// <summary>Creates the directories, removes our own half-written files of a previous run, starts scanning.</summary>
    public void Start()
    {
        Directory.CreateDirectory(_outbox);
        Directory.CreateDirectory(_inbox);
        // Only this node writes into the peer's inbox, so any temporary file there is ours, left by a crash.
        foreach (var stale in Directory.EnumerateFiles(_outbox, "*" + FileDropNames.TempExtension)) TryDelete(stale);
        lock (_pollGate)
        {
            if (_running) return;
            Volatile.Write(ref _running, true);
            _timer = _time.CreateTimer(_ => Tick(), null, _options.PollInterval, _options.PollInterval);
        }
        Tick();
    }

    public void Send(ReadOnlyMemory<byte> bundle, BundlePriority priority)
    {
        if (!IsUp) return; // the sender keeps custody; it resends when the link is back
        lock (_sendGate)
        {
            // Strictly increasing per sender, and ahead of a previous run's names as long as the clock is.
            _lastStamp = Math.Max(_lastStamp + 1, _time.GetUtcNow().UtcTicks);
            var temp = Path.Combine(_outbox, FileDropNames.Temp(_lastStamp));
            try
            {
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
                {
                    file.Write(bundle.Span);
                    file.Flush(flushToDisk: true);
                }
                while (true)
                {
                    var name = FileDropNames.Bundle(priority, _lastStamp);
                    try
                    {
                        File.Move(temp, Path.Combine(_outbox, name), overwrite: false);
                        Dropped?.Invoke(name);
                        return;
                    }
                    catch (IOException) when (File.Exists(Path.Combine(_outbox, name)))
                    {
                        _lastStamp++; // a name of a previous run whose clock was ahead: take the next one
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(temp);
                Faulted?.Invoke(temp, ex);
            }
        }
    }

    /// <summary>Scans the inbox once: reports state changes and delivers every complete bundle file. Returns how many.</summary>
    public int Poll()
    {
        lock (_pollGate)
        {
            if (!_running) return 0;
            var up = IsUp;
            if (up != _reportedUp)
            {
                _reportedUp = up;
                StateChanged?.Invoke(up);
            }
            if (!up) return 0;
            var names = Directory.EnumerateFiles(_inbox, "*" + FileDropNames.BundleExtension)
                .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
            var delivered = 0;
            foreach (var name in names)
            {
                if (!_running || !IsUp) break;
                if (!Deliver(name)) break; // keep the order: retry this one first on the next scan
                delivered++;
            }
            return delivered;
        }
    }

    private bool Deliver(string name)
    {
        var path = Path.Combine(_inbox, name);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return true; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Faulted?.Invoke(name, ex);
            return false;
        }
        try
        {
            Received?.Invoke(bytes);
        }
#pragma warning disable CA1031 // a failing handler must not kill the scanning timer; the file stays and is retried
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Faulted?.Invoke(name, ex);
            return false;
        }
        TryDelete(path);
        Delivered?.Invoke(name);
        return true;
    }

    private void Tick()
    {
        try { Poll(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Faulted?.Invoke(_inbox, ex);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* retried or harmless: a redelivery is a duplicate */ }
    }

    /// <summary>Stops scanning; waits for a delivery in progress to finish.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _running, false);
        lock (_pollGate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }
}
