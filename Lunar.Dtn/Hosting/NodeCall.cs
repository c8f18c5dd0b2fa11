namespace Lunar.Dtn.Hosting;

/// <summary>A verb's way to a running node: its URL and the caller's <c>--cert</c> and <c>--ca</c> (see <see cref="CliCredentials"/>).</summary>
public sealed record NodeCall(string Url, string? Cert, string? Ca)
{
    /// <summary>Null when no <c>--node</c> was given (the verb works on a stopped node's data folder).</summary>
    public static NodeCall? Of(string? url, string? cert, string? ca) => url is null ? null : new NodeCall(url, cert, ca);

    public override string ToString() => Url;
}
