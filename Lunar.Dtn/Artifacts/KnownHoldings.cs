using System.Text.Json;

namespace Lunar.Dtn.Artifacts;

/// <summary>
/// Which artifacts other nodes are known to hold whole, learned from the manifests of the bundle files they wrote, so a
/// stick back to a node that already has an artifact does not carry its content again. One small JSON file beside the
/// content, replaced atomically; only ever grows (a node that later lost an artifact gets it over its link or a stick
/// made after it says so).
/// </summary>
public sealed class KnownHoldings
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private Dictionary<string, SortedSet<string>> _held;

    public KnownHoldings(string directory)
    {
        _path = Path.Combine(directory, "known-holdings.json");
        _held = Load(_path);
    }

    /// <summary>Whether <paramref name="node"/> said it holds artifact <paramref name="sha256"/>.</summary>
    public bool Holds(string node, string sha256)
    {
        lock (_gate) return _held.TryGetValue(node, out var ids) && ids.Contains(sha256.ToLowerInvariant());
    }

    /// <summary>Notes that <paramref name="node"/> holds these artifacts; true when that was news.</summary>
    public bool Record(string node, IEnumerable<string> sha256s)
    {
        lock (_gate)
        {
            var next = _held.ToDictionary(kv => kv.Key, kv => new SortedSet<string>(kv.Value, StringComparer.Ordinal), StringComparer.Ordinal);
            var ids = next.TryGetValue(node, out var existing) ? existing : next[node] = new SortedSet<string>(StringComparer.Ordinal);
            var added = false;
            foreach (var id in sha256s) added |= ids.Add(id.ToLowerInvariant());
            if (!added) return false;
            var temp = _path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(file, next.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, _path, overwrite: true);
            _held = next;
            return true;
        }
    }

    private static Dictionary<string, SortedSet<string>> Load(string path)
    {
        var empty = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        if (!File.Exists(path)) return empty;
        try
        {
            var raw = JsonSerializer.Deserialize<Dictionary<string, string[]>>(File.ReadAllBytes(path));
            return raw?.ToDictionary(kv => kv.Key, kv => new SortedSet<string>(kv.Value, StringComparer.Ordinal), StringComparer.Ordinal) ?? empty;
        }
        catch (JsonException)
        {
            // Only an optimisation is lost: sticks carry content again until the peers' next files say what they hold.
            return empty;
        }
    }
}
