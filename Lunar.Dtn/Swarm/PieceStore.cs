using System.Security.Cryptography;

namespace Lunar.Dtn.Swarm;

/// <summary>
/// The bytes of one torrent on disk with the set of pieces held. A piece is written only after its SHA-1 matched;
/// the set of held pieces is persisted beside the file (<c>.pieces</c>, written atomically after the data is flushed)
/// so a restarted download resumes, and pieces marked held are checked again on open so a torn write is never trusted.
/// A complete file (the mirror's verified copy) is opened read-only and never written.
/// </summary>
public sealed class PieceStore : IDisposable
{
    private readonly Metainfo _meta;
    private readonly FileStream _file;
    private readonly bool[] _have;
    private readonly string? _stateFile;
    private readonly Lock _gate = new();
    private int _held;

    private PieceStore(Metainfo meta, FileStream file, bool[] have, string? stateFile)
    {
        _meta = meta;
        _file = file;
        _have = have;
        _stateFile = stateFile;
        _held = have.Count(h => h);
    }

    public string Path => _file.Name;

    public int HeldCount { get { lock (_gate) return _held; } }

    public bool IsComplete => HeldCount == _meta.PieceCount;

    public long HeldBytes { get { lock (_gate) return Enumerable.Range(0, _have.Length).Where(i => _have[i]).Sum(i => (long)_meta.PieceSize(i)); } }

    /// <summary>A seed: <paramref name="path"/> already holds the whole verified content (checked by the caller).</summary>
    public static PieceStore OpenComplete(Metainfo meta, string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        if (file.Length != meta.Length)
        {
            file.Dispose();
            throw new InvalidDataException($"{path} is {file.Length} bytes, the torrent {meta.Length}");
        }
        return new PieceStore(meta, file, Enumerable.Repeat(true, meta.PieceCount).ToArray(), null);
    }

    /// <summary>A download into <paramref name="path"/>, resuming from what <c>path.pieces</c> says is held (each such piece re-checked).</summary>
    public static PieceStore OpenPartial(Metainfo meta, string path)
    {
        var stateFile = path + ".pieces";
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.RandomAccess);
        if (file.Length > meta.Length) file.SetLength(0); // not this torrent's file: start over
        file.SetLength(meta.Length);
        var have = new bool[meta.PieceCount];
        if (File.Exists(stateFile))
        {
            var bits = File.ReadAllBytes(stateFile);
            var buffer = new byte[meta.PieceLength];
            for (var i = 0; i < have.Length; i++)
            {
                if (i / 8 >= bits.Length || (bits[i / 8] & (0x80 >> (i % 8))) == 0) continue;
                var size = meta.PieceSize(i);
                file.Position = (long)i * meta.PieceLength;
                file.ReadExactly(buffer, 0, size);
                have[i] = SHA1.HashData(buffer.AsSpan(0, size)).AsSpan().SequenceEqual(meta.PieceHash(i));
            }
        }
        return new PieceStore(meta, file, have, stateFile);
    }

    public bool Has(int index) { lock (_gate) return _have[index]; }

    /// <summary>The held pieces as a BEP 3 bitfield (high bit first).</summary>
    public byte[] Bitfield()
    {
        lock (_gate) return ToBits(_have);
    }

    public IReadOnlyList<int> Missing() { lock (_gate) return Enumerable.Range(0, _have.Length).Where(i => !_have[i]).ToArray(); }

    /// <summary>Checks <paramref name="data"/> against the piece's SHA-1 and, if it matches, writes it. False (nothing written) otherwise.</summary>
    public bool TryWrite(int index, ReadOnlySpan<byte> data)
    {
        if (_stateFile is null) throw new InvalidOperationException("a seed's file is never written");
        if (data.Length != _meta.PieceSize(index) || !SHA1.HashData(data).AsSpan().SequenceEqual(_meta.PieceHash(index))) return false;
        lock (_gate)
        {
            if (_have[index]) return true;
            RandomAccess.Write(_file.SafeFileHandle, data, (long)index * _meta.PieceLength);
            _have[index] = true;
            _held++;
            // Data first, then the record that it is there.
            _file.Flush(flushToDisk: _held == _have.Length || _held % 16 == 0);
            var temp = _stateFile + ".tmp";
            File.WriteAllBytes(temp, ToBits(_have));
            File.Move(temp, _stateFile, overwrite: true);
        }
        return true;
    }

    /// <summary>Reads <paramref name="length"/> bytes of a held piece from <paramref name="offset"/>.</summary>
    public byte[] Read(int index, int offset, int length)
    {
        var data = new byte[length];
        var read = RandomAccess.Read(_file.SafeFileHandle, data, (long)index * _meta.PieceLength + offset);
        if (read != length) throw new IOException($"short read of piece {index}");
        return data;
    }

    /// <summary>The SHA-256 of the whole file (the end-to-end check against the signed artifact).</summary>
    public byte[] Sha256()
    {
        using var stream = new FileStream(_file.Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        return SHA256.HashData(stream);
    }

    /// <summary>Forgets the download's progress record (after the file was moved away or refused).</summary>
    public void DeleteState()
    {
        if (_stateFile is not null && File.Exists(_stateFile)) File.Delete(_stateFile);
    }

    private static byte[] ToBits(bool[] have)
    {
        var bits = new byte[(have.Length + 7) / 8];
        for (var i = 0; i < have.Length; i++)
            if (have[i]) bits[i / 8] |= (byte)(0x80 >> (i % 8));
        return bits;
    }

    public void Dispose() => _file.Dispose();
}
