using System.Security.Cryptography;

namespace Lunar.Dtn.Artifacts;

/// <summary>
/// An artifact being received chunk by chunk: the bytes in <c>&lt;sha&gt;.part</c> (each chunk written at its offset)
/// and a durable bitmap in <c>&lt;sha&gt;.bitmap</c>. A chunk's data is flushed to disk before its bit, and its bit
/// before <see cref="Write"/> returns, so a set bit always means the chunk's bytes are on disk: what the receiver
/// acknowledges survives kill -9, and a restart resumes from the bitmap.
/// </summary>
public sealed class PartialArtifact : IDisposable
{
    private readonly FileStream _data;
    private readonly FileStream _map;

    private PartialArtifact(string sha256, long size, string dataPath, string mapPath, FileStream data, FileStream map, ChunkBitmap bitmap)
    {
        Sha256 = sha256;
        Size = size;
        DataPath = dataPath;
        MapPath = mapPath;
        _data = data;
        _map = map;
        Bitmap = bitmap;
    }

    public string Sha256 { get; }
    public long Size { get; }
    public string DataPath { get; }
    public string MapPath { get; }
    public ChunkBitmap Bitmap { get; }

    /// <summary>Bytes held so far.</summary>
    public long BytesHeld => ChunkLayout.HeldBytes(Size, Bitmap);

    /// <summary>
    /// Opens (or starts) the partial file of <paramref name="sha256"/> in <paramref name="directory"/>. A bitmap file of the
    /// wrong length (another size, or damaged) is not trusted: the artifact starts again from nothing.
    /// </summary>
    public static PartialArtifact Open(string directory, string sha256, long size)
    {
        Directory.CreateDirectory(directory);
        var dataPath = Path.Combine(directory, sha256 + ".part");
        var mapPath = Path.Combine(directory, sha256 + ".bitmap");
        var count = ChunkLayout.Count(size);
        ChunkBitmap? bitmap = null;
        if (File.Exists(mapPath) && File.Exists(dataPath)) bitmap = ChunkBitmap.FromBytes(count, File.ReadAllBytes(mapPath));
        if (bitmap is null)
        {
            bitmap = new ChunkBitmap(count);
            WriteDurably(mapPath, bitmap.ToBytes());
            if (File.Exists(dataPath)) File.Delete(dataPath);
        }
        var data = new FileStream(dataPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var map = new FileStream(mapPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        return new PartialArtifact(sha256, size, dataPath, mapPath, data, map, bitmap);
    }

    /// <summary>
    /// Writes chunk <paramref name="index"/> (already checked to have its exact length) and marks it held, both durably.
    /// False when it was held already (nothing written).
    /// </summary>
    public bool Write(int index, ReadOnlySpan<byte> data)
    {
        var staged = Stage(index, data);
        Commit();
        return staged;
    }

    private readonly List<int> _staged = [];

    /// <summary>
    /// Writes chunk <paramref name="index"/>'s bytes at its offset without flushing and without marking it held: a group
    /// commit (<see cref="Commit"/>) makes several chunks durable with two fsyncs in all. False when held or staged already.
    /// </summary>
    public bool Stage(int index, ReadOnlySpan<byte> data)
    {
        if (data.Length != ChunkLayout.Length(Size, index)) throw new ArgumentException($"chunk {index} must be {ChunkLayout.Length(Size, index)} bytes, not {data.Length}", nameof(data));
        if (Bitmap.Has(index) || _staged.Contains(index)) return false;
        _data.Position = ChunkLayout.Offset(index);
        _data.Write(data);
        _staged.Add(index);
        return true;
    }

    /// <summary>Flushes the staged chunks' bytes to disk, then their bits: only then are they held (and may be acknowledged).</summary>
    public void Commit()
    {
        if (_staged.Count == 0) return;
        _data.Flush(flushToDisk: true);
        foreach (var index in _staged)
        {
            Bitmap.Set(index);
            var (position, value) = Bitmap.ByteOf(index);
            _map.Position = position;
            _map.WriteByte(value);
        }
        _map.Flush(flushToDisk: true);
        _staged.Clear();
    }

    /// <summary>The SHA-256 (lower-case hex) and length of what is in the data file.</summary>
    public (string Sha256, long Length) Digest()
    {
        _data.Flush(flushToDisk: true);
        _data.Position = 0;
        var hash = SHA256.HashData(_data);
        return (Convert.ToHexStringLower(hash), _data.Length);
    }

    /// <summary>Closes the files and deletes both: the content is gone (it was adopted, or it was wrong).</summary>
    public void Discard()
    {
        Dispose();
        if (File.Exists(DataPath)) File.Delete(DataPath);
        if (File.Exists(MapPath)) File.Delete(MapPath);
    }

    public void Dispose()
    {
        _data.Dispose();
        _map.Dispose();
    }

    private static void WriteDurably(string path, byte[] bytes)
    {
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        f.Write(bytes);
        f.Flush(flushToDisk: true);
    }
}
