using System.Collections;

namespace Lunar.Dtn.Swarm;

/// <summary>
/// A bencoded dictionary. Keys are byte strings held as Latin-1 text (one char per byte), so ordinal order is the
/// raw byte order bencoding requires. A dictionary read from bytes also remembers where each value lay in the
/// source, because the info-hash is the SHA-1 of the info dictionary exactly as the file encodes it.
/// </summary>
public sealed class BDictionary : IEnumerable<KeyValuePair<string, object>>
{
    private readonly SortedDictionary<string, object> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Range> _spans = new(StringComparer.Ordinal);

    public object? this[string key]
    {
        get => _items.GetValueOrDefault(key);
        set
        {
            if (value is null) _items.Remove(key);
            else _items[key] = value;
        }
    }

    public int Count => _items.Count;

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <summary>Where the value of <paramref name="key"/> lay in the bytes this dictionary was read from.</summary>
    public Range? SourceSpan(string key) => _spans.TryGetValue(key, out var r) ? r : null;

    internal void Add(string key, object value, Range span)
    {
        _items[key] = value;
        _spans[key] = span;
    }

    public long? Integer(string key) => this[key] as long?;

    public byte[]? Bytes(string key) => this[key] as byte[];

    public string? Text(string key) => this[key] is byte[] b ? System.Text.Encoding.UTF8.GetString(b) : null;

    public BDictionary? Dictionary(string key) => this[key] as BDictionary;

    public IReadOnlyList<object>? List(string key) => this[key] as IReadOnlyList<object>;

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
