using System.Security.Cryptography;

namespace Lunar.Dtn.Swarm;

/// <summary>
/// A single-file BitTorrent v1 metainfo (BEP 3, with the BEP 27 private flag). <see cref="InfoHash"/> is the SHA-1 of
/// the info dictionary exactly as encoded, so a torrent we create and one mktorrent creates for the same file, name,
/// piece length and private flag have the same info-hash.
/// </summary>
public sealed class Metainfo
{
    public const int HashLength = 20;
    private const int MinPieceLength = 32 * 1024;
    private const int MaxPieceLength = 4 * 1024 * 1024;
    private const int TargetPieces = 1024;

    private readonly BDictionary _info;

    private Metainfo(BDictionary info, byte[] infoBytes, string? announce)
    {
        _info = info;
        InfoBytes = infoBytes;
        InfoHash = SHA1.HashData(infoBytes);
        Announce = announce;
        Name = info.Text("name") ?? "";
        Length = info.Integer("length") ?? 0;
        PieceLength = (int)(info.Integer("piece length") ?? 0);
        PieceHashes = info.Bytes("pieces") ?? [];
        IsPrivate = info.Integer("private") == 1;
    }

    public byte[] InfoHash { get; }

    public string InfoHashHex => Convert.ToHexStringLower(InfoHash);

    /// <summary>The info dictionary exactly as encoded (what <see cref="InfoHash"/> is the hash of).</summary>
    public byte[] InfoBytes { get; }

    public string Name { get; }

    public long Length { get; }

    public int PieceLength { get; }

    public byte[] PieceHashes { get; }

    public bool IsPrivate { get; }

    public string? Announce { get; }

    public int PieceCount => PieceHashes.Length / HashLength;

    /// <summary>The size of piece <paramref name="index"/> (the last one may be short).</summary>
    public int PieceSize(int index) => (int)Math.Min(PieceLength, Length - (long)index * PieceLength);

    public ReadOnlySpan<byte> PieceHash(int index) => PieceHashes.AsSpan(index * HashLength, HashLength);

    /// <summary>
    /// A power of two between 32 KiB and 4 MiB giving at most about a thousand pieces: enough pieces for a fleet
    /// to trade among itself, few enough that the bitfield and the hashes stay small.
    /// </summary>
    public static int ChoosePieceLength(long size)
    {
        var length = MinPieceLength;
        while (length < MaxPieceLength && (size + length - 1) / length > TargetPieces) length *= 2;
        return length;
    }

    /// <summary>Hashes <paramref name="path"/> piece by piece into a new metainfo.</summary>
    public static Metainfo Create(string path, string name, int pieceLength, bool isPrivate, string? announce)
    {
        if (pieceLength < 16 * 1024 || (pieceLength & (pieceLength - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(pieceLength), pieceLength, "piece length must be a power of two of at least 16 KiB");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = file.Length;
        var hashes = new MemoryStream();
        var buffer = new byte[pieceLength];
        while (true)
        {
            var read = file.ReadAtLeast(buffer, pieceLength, throwOnEndOfStream: false);
            if (read == 0) break;
            hashes.Write(SHA1.HashData(buffer.AsSpan(0, read)));
            if (read < pieceLength) break;
        }
        var info = new BDictionary
        {
            ["length"] = length,
            ["name"] = name,
            ["piece length"] = (long)pieceLength,
            ["pieces"] = hashes.ToArray(),
        };
        if (isPrivate) info["private"] = 1L;
        return new Metainfo(info, Bencode.Encode(info), announce);
    }

    /// <summary>The same info dictionary announcing to another tracker (the info-hash does not change).</summary>
    public Metainfo WithAnnounce(string? announce) => new(_info, InfoBytes, announce);

    /// <summary>The whole .torrent file.</summary>
    public byte[] ToTorrentFile()
    {
        // Written by hand around the kept info bytes so the info-hash is exactly that of InfoBytes.
        using var s = new MemoryStream();
        s.WriteByte((byte)'d');
        if (Announce is not null) { Bencode.Write(s, "announce"); Bencode.Write(s, Announce); }
        Bencode.Write(s, "created by");
        Bencode.Write(s, "Lunar.Dtn");
        Bencode.Write(s, "info");
        s.Write(InfoBytes);
        s.WriteByte((byte)'e');
        return s.ToArray();
    }

    /// <summary>Reads a .torrent file: single-file v1 only.</summary>
    /// <exception cref="InvalidDataException">Not such a torrent; the message says why.</exception>
    public static Metainfo Parse(byte[] torrent)
    {
        if (Bencode.Decode(torrent) is not BDictionary root) throw new InvalidDataException("a torrent file is a bencoded dictionary");
        if (root.Dictionary("info") is not { } info || root.SourceSpan("info") is not { } span)
            throw new InvalidDataException("the torrent has no info dictionary");
        if (info.ContainsKey("files")) throw new InvalidDataException("multi-file torrents are not artifacts");
        var length = info.Integer("length") ?? throw new InvalidDataException("the info dictionary has no length");
        var pieceLength = info.Integer("piece length") ?? throw new InvalidDataException("the info dictionary has no piece length");
        var pieces = info.Bytes("pieces") ?? throw new InvalidDataException("the info dictionary has no pieces");
        if (length <= 0) throw new InvalidDataException($"length {length} is not positive");
        if (pieceLength is < 16 * 1024 or > 64 * 1024 * 1024) throw new InvalidDataException($"piece length {pieceLength} is out of range");
        var count = (length + pieceLength - 1) / pieceLength;
        if (pieces.Length != count * HashLength)
            throw new InvalidDataException($"{pieces.Length / HashLength} piece hashes for {count} pieces of {pieceLength} bytes");
        return new Metainfo(info, torrent[span], root.Text("announce"));
    }
}
