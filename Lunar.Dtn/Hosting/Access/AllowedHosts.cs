namespace Lunar.Dtn.Hosting.Access;

/// <summary>
/// The host names this node answers to (<c>Node:HostNames</c>, default localhost, 127.0.0.1, ::1 and the node's id). A
/// request naming any other host is refused: a hostile page whose DNS name was re-pointed at us (DNS rebinding) cannot
/// read the API as if it were same-origin.
/// </summary>
public sealed class AllowedHosts
{
    private readonly HashSet<string> _names;

    public AllowedHosts(IEnumerable<string> names) =>
        _names = names.Select(n => n.Trim().Trim('[', ']')).Where(n => n.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static AllowedHosts Default(string nodeId, string? configured) =>
        new(string.IsNullOrWhiteSpace(configured) ? ["localhost", "127.0.0.1", "::1", nodeId] : configured.Split(','));

    public bool Allows(string host) => _names.Contains(host.Trim('[', ']'));

    public override string ToString() => string.Join(", ", _names.Order(StringComparer.Ordinal));
}
