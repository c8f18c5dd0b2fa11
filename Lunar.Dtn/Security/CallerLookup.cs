namespace Lunar.Dtn.Security;

/// <summary>The answer of <see cref="TrustStore.Authenticate"/>: the caller, or why the certificate does not name one.</summary>
public readonly record struct CallerLookup(Caller? Caller, string? Problem)
{
    public bool Ok => Caller is not null;

    public static CallerLookup Found(Caller caller) => new(caller, null);

    public static CallerLookup Refused(string problem) => new(null, problem);
}
