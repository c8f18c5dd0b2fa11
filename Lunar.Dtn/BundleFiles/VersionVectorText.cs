using Lunar.Dtn.Crdt;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// A version vector as operators type it and as <c>bundle inspect</c> prints it: <c>origin/channel:seq</c> entries,
/// comma separated, braces optional, e.g. <c>{earth/control:12, moon/status:3400}</c>.
/// </summary>
public static class VersionVectorText
{
    public static bool TryParse(string? text, out VersionVector vector, out string? problem)
    {
        vector = VersionVector.Empty;
        problem = null;
        var body = (text ?? "").Trim().TrimStart('{').TrimEnd('}');
        var entries = new List<VectorEntry>();
        foreach (var part in body.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (colon < 0 || slash <= 0 || slash > colon ||
                !Enum.TryParse<Channel>(part[(slash + 1)..colon], ignoreCase: true, out var channel) || !Enum.IsDefined(channel) ||
                !long.TryParse(part[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq))
            {
                problem = $"'{part}' is not origin/channel:seq (channel control or status), e.g. earth/control:12";
                return false;
            }
            entries.Add(new VectorEntry(new StreamId(part[..slash], channel), seq));
        }
        vector = new VersionVector(entries);
        return true;
    }
}
