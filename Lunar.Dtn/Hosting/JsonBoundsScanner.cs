using System.Text;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Finds, in a JSON body fed piece by piece and never held, the strings and lists longer than their bounds
/// (<see cref="BodyLimits"/>): how an oversized body is answered with the field that made it so. Tolerant: it tokenises
/// just enough (strings, containers, property names) to know each value's path, and never fails; it is a diagnosis,
/// not a parser (the body is refused whatever it finds).
/// </summary>
public sealed class JsonBoundsScanner(IReadOnlyDictionary<string, int> bounds)
{
    /// <summary>One field over its bound: its path as sent ("selector.sites[3]"), its size, its bound, and whether the body ended before it did.</summary>
    public sealed record Excess(string Field, long Size, int Max, bool IsList, bool Unfinished)
    {
        public string Problem => IsList
            ? $"{Field} has {(Unfinished ? "at least " : "")}{BodyLimits.N(Size)} items; at most {BodyLimits.N(Max)}"
            : $"{Field} is {(Unfinished ? "at least " : "")}{BodyLimits.N(Size)} characters; at most {BodyLimits.N(Max)}";
    }

    private sealed class Frame(bool isArray, string pattern, string shown)
    {
        public bool IsArray { get; } = isArray;
        public string Pattern { get; } = pattern; // "selector.sites" (elements: "selector.sites[]")
        public string Shown { get; } = shown;     // "selector.sites"
        public long Count { get; set; }
        public bool ExpectKey { get; set; } = !isArray;
        public string Key { get; set; } = "";
    }

    private const int KeyBytes = 64;
    private readonly Stack<Frame> _frames = new();
    private readonly List<Excess> _found = [];
    private readonly HashSet<string> _reported = new(StringComparer.OrdinalIgnoreCase);
    private readonly byte[] _key = new byte[KeyBytes];
    private int _keyLength;
    private bool _inString, _stringIsKey, _escape, _inLiteral;
    private int _skipHex;
    private long _chars;
    private string _valuePattern = "", _valueShown = "";

    /// <summary>Bytes fed so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Each field found over its bound, the first of each path only.</summary>
    public IReadOnlyList<Excess> Found => _found;

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        Bytes += chunk.Length;
        foreach (var b in chunk)
        {
            if (_inString) { InString(b); continue; }
            if (_inLiteral)
            {
                if (b is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') _inLiteral = false;
                else continue;
            }
            switch (b)
            {
                case (byte)'{' or (byte)'[':
                    var (pattern, shown) = StartValue();
                    _frames.Push(new Frame(b == (byte)'[', pattern, shown));
                    break;
                case (byte)'}' or (byte)']':
                    if (_frames.Count > 0) Close(_frames.Pop(), unfinished: false);
                    break;
                case (byte)',':
                    if (_frames.TryPeek(out var f) && !f.IsArray) f.ExpectKey = true;
                    break;
                case (byte)':':
                    if (_frames.TryPeek(out var o) && !o.IsArray) o.ExpectKey = false;
                    break;
                case (byte)'"':
                    _inString = true;
                    _chars = 0;
                    _stringIsKey = _frames.TryPeek(out var k) && !k.IsArray && k.ExpectKey;
                    if (_stringIsKey) _keyLength = 0;
                    else (_valuePattern, _valueShown) = StartValue();
                    break;
                case (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t':
                    break;
                default: // a number, true, false or null
                    StartValue();
                    _inLiteral = true;
                    break;
            }
        }
    }

    /// <summary>The body has ended (or was cut off): what is still open is reported with the size it reached.</summary>
    public IReadOnlyList<Excess> Finish()
    {
        if (_inString && !_stringIsKey) Report(_valuePattern, _valueShown, _chars, isList: false, unfinished: true);
        _inString = false;
        while (_frames.Count > 0) Close(_frames.Pop(), unfinished: true);
        return _found;
    }

    private void InString(byte b)
    {
        if (_skipHex > 0) { _skipHex--; return; }
        if (_escape)
        {
            _escape = false;
            if (b == (byte)'u') _skipHex = 4;
            Count(b);
            return;
        }
        if (b == (byte)'\\') { _escape = true; return; }
        if (b == (byte)'"')
        {
            _inString = false;
            if (_stringIsKey)
            {
                if (_frames.TryPeek(out var f)) f.Key = Encoding.UTF8.GetString(_key, 0, _keyLength);
            }
            else Report(_valuePattern, _valueShown, _chars, isList: false, unfinished: false);
            return;
        }
        if (_stringIsKey) { if (_keyLength < KeyBytes) _key[_keyLength++] = b; return; }
        // Characters as .NET counts them (UTF-16 code units): one per UTF-8 lead byte, two for a 4-byte sequence.
        if ((b & 0xC0) != 0x80) _chars += b >= 0xF0 ? 2 : 1;
    }

    private void Count(byte b)
    {
        if (!_stringIsKey) _chars++;
        else if (_keyLength < KeyBytes) _key[_keyLength++] = b;
    }

    /// <summary>A value starts in the innermost container: counts it (in a list) and answers its path.</summary>
    private (string Pattern, string Shown) StartValue()
    {
        if (!_frames.TryPeek(out var parent)) return ("", "");
        if (parent.IsArray)
        {
            var index = parent.Count++;
            return (parent.Pattern + "[]", $"{parent.Shown}[{index}]");
        }
        var prefix = parent.Pattern.Length == 0 ? "" : parent.Pattern + ".";
        var shownPrefix = parent.Shown.Length == 0 ? "" : parent.Shown + ".";
        return (prefix + parent.Key, shownPrefix + parent.Key);
    }

    private void Close(Frame frame, bool unfinished)
    {
        if (frame.IsArray) Report(frame.Pattern, frame.Shown, frame.Count, isList: true, unfinished);
    }

    private void Report(string pattern, string shown, long size, bool isList, bool unfinished)
    {
        if (pattern.Length == 0 || !bounds.TryGetValue(pattern, out var max) || size <= max) return;
        if (_reported.Add(pattern)) _found.Add(new Excess(shown, size, max, isList, unfinished));
    }
}
