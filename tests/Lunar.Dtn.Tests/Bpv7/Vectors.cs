namespace Lunar.Dtn.Tests.Bpv7;

/// <summary>The hex test vectors copied into Bpv7/vectors (see its README), as bytes.</summary>
public static class Vectors
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Bpv7", "vectors");

    public static byte[] Hex(string relative) => Convert.FromHexString(File.ReadAllText(Path.Combine(Folder, relative)).Trim());

    /// <summary>Files holding one bundle per line.</summary>
    public static IReadOnlyList<byte[]> HexLines(string relative) =>
        File.ReadAllLines(Path.Combine(Folder, relative)).Where(l => l.Trim().Length > 0).Select(l => Convert.FromHexString(l.Trim())).ToArray();

    /// <summary>Every file in rfc9173/ whose name contains <paramref name="what"/>, as xunit theory data.</summary>
    public static TheoryData<string> Rfc9173(params string[] what)
    {
        var data = new TheoryData<string>();
        foreach (var w in what)
            foreach (var f in Directory.GetFiles(Path.Combine(Folder, "rfc9173"), "cbor_*" + w + "*.hex").Order(StringComparer.Ordinal))
                data.Add("rfc9173/" + Path.GetFileName(f));
        return data;
    }

    /// <summary>"label ... hex" lines of a text vector file (comments start with #): the label is everything before the hex.</summary>
    public static IReadOnlyList<(string Label, byte[] Bytes)> Samples(string relative) =>
        File.ReadAllLines(Path.Combine(Folder, relative)).Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => (Label: l[..l.TrimEnd().LastIndexOf(' ')].Trim(), Hex: l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]))
            .Select(p => (p.Label, Convert.FromHexString(p.Hex)))
            .ToArray();

    public static byte[] Sample(string relative, string labelStart) =>
        Samples(relative).Single(s => s.Label.StartsWith(labelStart + " ", StringComparison.Ordinal) || s.Label == labelStart).Bytes;
}
