using System.Globalization;
using System.Text;

namespace Lunar.Dtn.Swarm;

/// <summary>
/// Bencoding (BEP 3): byte strings (<c>byte[]</c>; <c>string</c> is written as UTF-8), integers (<c>long</c>/<c>int</c>),
/// lists (<c>IEnumerable&lt;object&gt;</c>) and dictionaries (<see cref="BDictionary"/>, keys in raw byte order).
/// Reading is strict and bounded, because peers, trackers and torrent files are untrusted input.
/// </summary>
public static class Bencode
{
    private const int MaxDepth = 32;

    public static byte[] Encode(object value)
    {
        using var s = new MemoryStream();
        Write(s, value);
        return s.ToArray();
    }

    public static void Write(Stream s, object value)
    {
        switch (value)
        {
            case byte[] bytes:
                WriteAscii(s, bytes.Length.ToString(CultureInfo.InvariantCulture) + ":");
                s.Write(bytes);
                break;
            case string text:
                Write(s, Encoding.UTF8.GetBytes(text));
                break;
            case long or int:
                WriteAscii(s, "i" + Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "e");
                break;
            case BDictionary dict:
                s.WriteByte((byte)'d');
                foreach (var (k, v) in dict)
                {
                    Write(s, Encoding.Latin1.GetBytes(k));
                    Write(s, v);
                }
                s.WriteByte((byte)'e');
                break;
            case System.Collections.IEnumerable list:
                s.WriteByte((byte)'l');
                foreach (var item in list) Write(s, item!);
                s.WriteByte((byte)'e');
                break;
            default:
                throw new ArgumentException($"cannot bencode a {value.GetType().Name}", nameof(value));
        }
    }

    /// <summary>Reads exactly one value that fills all of <paramref name="data"/>.</summary>
    /// <exception cref="InvalidDataException">Not bencoding; the message says where and why.</exception>
    public static object Decode(ReadOnlySpan<byte> data)
    {
        var pos = 0;
        var value = Read(data, ref pos, 0);
        if (pos != data.Length) throw new InvalidDataException($"bencoding: {data.Length - pos} bytes after the value at offset {pos}");
        return value;
    }

    private static object Read(ReadOnlySpan<byte> d, ref int pos, int depth)
    {
        if (depth > MaxDepth) throw new InvalidDataException($"bencoding: nested deeper than {MaxDepth}");
        if (pos >= d.Length) throw new InvalidDataException("bencoding: truncated");
        switch (d[pos])
        {
            case (byte)'i':
            {
                var end = d[pos..].IndexOf((byte)'e');
                if (end < 2) throw new InvalidDataException($"bencoding: bad integer at offset {pos}");
                var text = Encoding.ASCII.GetString(d.Slice(pos + 1, end - 1));
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || text == "-0" ||
                    (text.Length > 1 && text[0] == '0') || text.StartsWith("-0", StringComparison.Ordinal))
                    throw new InvalidDataException($"bencoding: bad integer '{text}' at offset {pos}");
                pos += end + 1;
                return n;
            }
            case (byte)'l':
            {
                pos++;
                var list = new List<object>();
                while (true)
                {
                    if (pos >= d.Length) throw new InvalidDataException("bencoding: truncated list");
                    if (d[pos] == (byte)'e') { pos++; return list; }
                    list.Add(Read(d, ref pos, depth + 1));
                }
            }
            case (byte)'d':
            {
                pos++;
                var dict = new BDictionary();
                string? previous = null;
                while (true)
                {
                    if (pos >= d.Length) throw new InvalidDataException("bencoding: truncated dictionary");
                    if (d[pos] == (byte)'e') { pos++; return dict; }
                    if (Read(d, ref pos, depth + 1) is not byte[] keyBytes) throw new InvalidDataException($"bencoding: dictionary key at offset {pos} is not a string");
                    var key = Encoding.Latin1.GetString(keyBytes);
                    if (previous is not null && string.CompareOrdinal(previous, key) >= 0)
                        throw new InvalidDataException($"bencoding: dictionary keys out of order or repeated at '{key}'");
                    var start = pos;
                    var value = Read(d, ref pos, depth + 1);
                    dict.Add(key, value, new Range(start, pos));
                    previous = key;
                }
            }
            case >= (byte)'0' and <= (byte)'9':
            {
                var colon = d[pos..].IndexOf((byte)':');
                if (colon < 1 || colon > 10) throw new InvalidDataException($"bencoding: bad string length at offset {pos}");
                var text = Encoding.ASCII.GetString(d.Slice(pos, colon));
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || (text.Length > 1 && text[0] == '0'))
                    throw new InvalidDataException($"bencoding: bad string length '{text}' at offset {pos}");
                pos += colon + 1;
                if (length > d.Length - pos) throw new InvalidDataException($"bencoding: string of {length} bytes runs past the end");
                var bytes = d.Slice(pos, length).ToArray();
                pos += length;
                return bytes;
            }
            default:
                throw new InvalidDataException($"bencoding: unexpected byte 0x{d[pos]:x2} at offset {pos}");
        }
    }

    private static void WriteAscii(Stream s, string text) => s.Write(Encoding.ASCII.GetBytes(text));
}
