namespace Lunar.Dtn.Security;

/// <summary>The answer of the trust store: a usable public key, or the reason there is none.</summary>
public readonly record struct KeyLookup(Principal? Principal, byte[]? PublicKey, string? Problem)
{
    public bool Ok => PublicKey is not null;

    public static KeyLookup Found(Principal p, byte[] key) => new(p, key, null);

    public static KeyLookup Refused(string problem) => new(null, null, problem);
}
