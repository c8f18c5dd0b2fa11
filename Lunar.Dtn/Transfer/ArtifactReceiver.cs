using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Transfer;

/// <summary>
/// The receiving half of the artifact transfer, one per node (whichever peer the chunks come from): checks every chunk
/// against the replicated <see cref="ArtifactRecord"/> (known artifact, index in range, offset and length exactly where the
/// index puts them), writes it durably into the artifact's <see cref="PartialArtifact"/>, and when the last chunk is in,
/// verifies the whole content's SHA-256 and size before the content store adopts it. A mismatch is discarded, never installed,
/// and fetched again from nothing. The bundle's signature is checked by the caller before this sees the payload.
/// </summary>
public sealed class ArtifactReceiver : IDisposable
{
    private readonly Replica _replica;
    private readonly ArtifactContentStore _store;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Incoming> _incoming = new(StringComparer.Ordinal);
    private readonly HashSet<string> _completing = new(StringComparer.Ordinal);

    public ArtifactReceiver(Replica replica, ArtifactContentStore store)
    {
        _replica = replica;
        _store = store;
    }

    private sealed class Incoming(PartialArtifact partial, ArtifactRecord record)
    {
        public PartialArtifact Partial { get; } = partial;
        public ArtifactRecord Record { get; } = record;
        public TransferRate Rate { get; } = new();
        public string? From { get; set; }
        public DateTimeOffset? LastChunkAt { get; set; }
    }

    /// <summary>Checks and stores the chunk carried by <paramref name="bundle"/> (opened: signature, signer and destination already checked).</summary>
    public ChunkOutcome Accept(OpenedBundle bundle) => AcceptAll([bundle])[0];

    /// <summary>
    /// Checks and stores several chunks with one group commit (two fsyncs per artifact touched, not per chunk), so a receiver
    /// behind on its disk catches up instead of falling further behind. Every outcome is final (durable) when this returns.
    /// </summary>
    public IReadOnlyList<ChunkOutcome> AcceptAll(IReadOnlyList<OpenedBundle> bundles)
    {
        var outcomes = new ChunkOutcome[bundles.Count];
        var staged = new List<(int Slot, Incoming Incoming, string Sha, int Index)>();
        lock (_gate)
        {
            for (var slot = 0; slot < bundles.Count; slot++)
            {
                var (outcome, record, chunk) = Check(bundles[slot]);
                if (outcome is not null) { outcomes[slot] = outcome; continue; }
                var sha = record!.Sha256;
                if (_completing.Contains(sha)) { outcomes[slot] = new ChunkOutcome(ChunkResult.Duplicate, sha, chunk!.Index); continue; }
                var incoming = OpenLocked(record);
                if (!incoming.Partial.Stage(chunk!.Index, chunk.Data)) { outcomes[slot] = new ChunkOutcome(ChunkResult.Duplicate, sha, chunk.Index); continue; }
                incoming.From = bundles[slot].Header.Source;
                staged.Add((slot, incoming, sha, chunk.Index));
            }
            var now = _replica.Time.GetUtcNow();
            foreach (var incoming in staged.Select(s => s.Incoming).Distinct())
            {
                incoming.Partial.Commit();
                incoming.LastChunkAt = now;
                incoming.Rate.Note(now, incoming.Partial.BytesHeld);
                if (!incoming.Partial.Bitmap.IsComplete) continue;
                _incoming.Remove(incoming.Record.Sha256);
                _completing.Add(incoming.Record.Sha256);
            }
            foreach (var (slot, _, sha, index) in staged) outcomes[slot] = new ChunkOutcome(ChunkResult.Stored, sha, index);
        }
        // Outside the lock: hashing a large file takes time, and adoption raises Stored, whose handlers take other locks.
        foreach (var (slot, incoming, sha, index) in staged.Where(s => s.Incoming.Partial.Bitmap.IsComplete).GroupBy(s => s.Sha).Select(g => g.Last()))
        {
            try
            {
                var problem = _store.Adopt(incoming.Record, incoming.Partial);
                if (problem is null) { outcomes[slot] = new ChunkOutcome(ChunkResult.Completed, sha, index); continue; }
                incoming.Partial.Discard();
                outcomes[slot] = new ChunkOutcome(ChunkResult.Discarded, sha, index,
                    $"{incoming.Record.Name} {incoming.Record.Version} arrived whole but {problem}: discarded (never installed) and fetched again");
            }
            finally
            {
                lock (_gate) _completing.Remove(sha);
            }
        }
        return outcomes;
    }

    /// <summary>The refusal of a chunk bundle, or the artifact and chunk it carries when it may be stored.</summary>
    private (ChunkOutcome? Outcome, ArtifactRecord? Record, ArtifactChunkPayload? Chunk) Check(OpenedBundle bundle)
    {
        ArtifactChunkPayload? chunk;
        try { chunk = Serialization.Deserialize<ArtifactChunkPayload>(bundle.Payload); }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException or ArgumentException) { chunk = null; }
        if (chunk?.Sha256 is not { Length: 32 } || chunk.Data is null)
            return (new ChunkOutcome(ChunkResult.Refused, null, -1, $"chunk bundle {bundle.Header.Id}: the payload is not an artifact chunk (a 32-byte sha256, an index, an offset and data)"), null, null);
        var sha = Convert.ToHexStringLower(chunk.Sha256);
        var record = _replica.Read((s, _) => s.Artifacts.GetValueOrDefault(sha));
        if (record is null)
            return (new ChunkOutcome(ChunkResult.UnknownArtifact, sha, chunk.Index, $"chunk {chunk.Index} of unknown artifact {sha}: no metadata registered here (yet); nothing stored"), null, null);
        if (Check(record, chunk) is { } wrong)
            return (new ChunkOutcome(ChunkResult.Refused, sha, chunk.Index, $"chunk {chunk.Index} of {record.Name} {record.Version}: {wrong}; nothing stored"), null, null);
        if (_store.Has(sha)) return (new ChunkOutcome(ChunkResult.Duplicate, sha, chunk.Index), null, null);
        return (null, record, chunk);
    }

    /// <summary>Why <paramref name="chunk"/> cannot be a chunk of <paramref name="record"/>; null when it can.</summary>
    public static string? Check(ArtifactRecord record, ArtifactChunkPayload chunk)
    {
        var count = ChunkLayout.Count(record.SizeBytes);
        if (chunk.Index < 0 || chunk.Index >= count) return $"index {chunk.Index} is outside the artifact's {count} chunks";
        var offset = ChunkLayout.Offset(chunk.Index);
        if (chunk.Offset != offset) return $"offset {chunk.Offset} is not where chunk {chunk.Index} starts ({offset})";
        var length = ChunkLayout.Length(record.SizeBytes, chunk.Index);
        if (chunk.Data.Length != length) return $"{chunk.Data.Length} bytes, but chunk {chunk.Index} of a {record.SizeBytes}-byte artifact is {length}";
        return null;
    }

    /// <summary>The bitmap this node holds for <paramref name="sha256"/>, or null when it is not receiving it.</summary>
    public ChunkBitmap? BitmapOf(string sha256)
    {
        lock (_gate) return _incoming.TryGetValue(sha256, out var i) ? i.Partial.Bitmap.Clone() : ReadBitmapFile(sha256);
    }

    /// <summary>Every partial artifact on disk with known metadata, with its bitmap (those resumed after a restart too).</summary>
    public IReadOnlyList<(string Sha256, ChunkBitmap Bitmap)> Partials()
    {
        var dir = _store.IncomingDirectory;
        if (!Directory.Exists(dir)) return [];
        var result = new List<(string, ChunkBitmap)>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.bitmap"))
        {
            var sha = Path.GetFileNameWithoutExtension(file);
            if (_store.Has(sha)) continue;
            if (BitmapOf(sha) is { } bitmap) result.Add((sha, bitmap));
        }
        return result;
    }

    /// <summary>Progress of every artifact being received.</summary>
    public IReadOnlyList<IncomingProgress> InFlight()
    {
        var partials = Partials();
        lock (_gate) return partials.Select(p => ProgressLocked(p.Sha256, p.Bitmap)).OfType<IncomingProgress>().ToArray();
    }

    /// <summary>Progress of <paramref name="sha256"/>, or null when it is not being received.</summary>
    public IncomingProgress? Progress(string sha256)
    {
        var bitmap = BitmapOf(sha256);
        if (bitmap is null || _store.Has(sha256)) return null;
        lock (_gate) return ProgressLocked(sha256, bitmap);
    }

    private IncomingProgress? ProgressLocked(string sha, ChunkBitmap bitmap)
    {
        var record = _replica.Read((s, _) => s.Artifacts.GetValueOrDefault(sha));
        if (record is null) return null;
        _incoming.TryGetValue(sha, out var live);
        var now = _replica.Time.GetUtcNow();
        var held = ChunkLayout.HeldBytes(record.SizeBytes, bitmap);
        return new IncomingProgress(sha, live?.From, held, record.SizeBytes, bitmap.Held, bitmap.Count,
            live?.Rate.BytesPerSecond(now) is { } r ? Math.Round(r) : null, live?.Rate.EtaSeconds(now, record.SizeBytes - held), live?.LastChunkAt);
    }

    private Incoming OpenLocked(ArtifactRecord record)
    {
        if (_incoming.TryGetValue(record.Sha256, out var open)) return open;
        var partial = PartialArtifact.Open(_store.IncomingDirectory, record.Sha256, record.SizeBytes);
        var incoming = new Incoming(partial, record);
        incoming.Rate.Note(_replica.Time.GetUtcNow(), partial.BytesHeld);
        _incoming[record.Sha256] = incoming;
        return incoming;
    }

    private ChunkBitmap? ReadBitmapFile(string sha)
    {
        var record = _replica.Read((s, _) => s.Artifacts.GetValueOrDefault(sha));
        var path = Path.Combine(_store.IncomingDirectory, sha + ".bitmap");
        if (record is null || !File.Exists(path)) return null;
        try { return ChunkBitmap.FromBytes(ChunkLayout.Count(record.SizeBytes), File.ReadAllBytes(path)); }
        catch (IOException) { return null; }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var i in _incoming.Values) i.Partial.Dispose();
            _incoming.Clear();
        }
    }
}
