using NSec.Cryptography;

namespace Lunar.Dtn.Security;

/// <summary>
/// A node's (or an approver's) Ed25519 private key and the id it signs as. The key file is the raw
/// 32-byte seed in hex, preceded by the id: "id:hex". Keep it private; the constellation holds only public keys.
/// </summary>
public sealed class NodeKey : IDisposable
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private NodeKey(string id, Key key)
    {
        Id = id;
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public string Id { get; }

    /// <summary>The raw 32-byte public key.</summary>
    public byte[] PublicKey { get; }

    public string PublicKeyHex => Convert.ToHexStringLower(PublicKey);

    public static NodeKey Generate(string id) =>
        new(id, Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Deterministic key from a 32-byte seed (tests and the simulator only).</summary>
    public static NodeKey FromSeed(string id, ReadOnlySpan<byte> seed) =>
        new(id, Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    public static NodeKey Parse(string text)
    {
        var parts = text.Trim().Split(':', 2);
        if (parts.Length != 2 || parts[0].Length == 0)
            throw new FormatException("a key file holds 'id:hex-seed' on one line");
        byte[] seed;
        try { seed = Convert.FromHexString(parts[1]); }
        catch (FormatException) { throw new FormatException("the key's seed is not hex"); }
        if (seed.Length != 32) throw new FormatException($"the key's seed is {seed.Length} bytes; Ed25519 needs 32");
        return FromSeed(parts[0], seed);
    }

    /// <summary>Loads a key file, refusing one that others can read (<see cref="KeyFileMode"/>).</summary>
    public static NodeKey Load(string path)
    {
        KeyFileMode.Check(path);
        return Parse(File.ReadAllText(path));
    }

    public string Export() => $"{Id}:{Convert.ToHexStringLower(_key.Export(KeyBlobFormat.RawPrivateKey))}";

    /// <summary>Writes the key file atomically, created with mode 0600 (never readable by others, not even for an instant).</summary>
    public void Save(string path) => Storage.AtomicFile.WritePrivate(path, Export() + "\n");

    public byte[] Sign(ReadOnlySpan<byte> data) => Ed25519.Sign(_key, data);

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != 32 || signature.Length != 64) return false;
        if (!NSec.Cryptography.PublicKey.TryImport(Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var pk) || pk is null) return false;
        return Ed25519.Verify(pk, data, signature);
    }

    public void Dispose() => _key.Dispose();
}
