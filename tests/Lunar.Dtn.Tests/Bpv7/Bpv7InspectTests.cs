using System.Text.Json;
using Lunar.Dtn.Bpv7;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Bpv7;

/// <summary><c>bundle bpv7 inspect FILE</c> (contract section 8), in-process for stdout/stderr and as the real executables.</summary>
public sealed class Bpv7InspectTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly DateTimeOffset Now = DtnTime.ToDateTime(849_250_141_714);

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static (int Code, string Out, string Err) Run(string path)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = Bpv7Commands.Inspect(path, output, errors, Now);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void HexFileOfTheHdtnBundle_PrintsPrimaryAndBlocksAsJson()
    {
        var path = Write("hdtn.hex", File.ReadAllBytes(Path.Combine(Vectors.Folder, "interop", "hdtn_bpgen_bpv7_bundle.hex")));
        var (code, output, errors) = Run(path);
        Assert.Equal(0, code);
        Assert.Equal("", errors);
        using var json = JsonDocument.Parse(output);
        var primary = json.RootElement.GetProperty("primary");
        Assert.Equal(7, primary.GetProperty("version").GetInt32());
        Assert.Equal("ipn:2.1", primary.GetProperty("destination").GetString());
        Assert.Equal("ipn:1.1", primary.GetProperty("source").GetString());
        Assert.Equal("ipn:1.0", primary.GetProperty("reportTo").GetString());
        Assert.Equal(2, primary.GetProperty("crcType").GetInt32());
        Assert.Equal(0x4004, primary.GetProperty("flags").GetInt32());
        Assert.Equal(1_000_000, primary.GetProperty("lifetime").GetInt64());
        Assert.Equal(0, primary.GetProperty("sequence").GetInt64());
        Assert.True(primary.GetProperty("creationTime").GetInt64() > 0);
        var blocks = json.RootElement.GetProperty("blocks").EnumerateArray().ToArray();
        Assert.Equal([10, 1], blocks.Select(b => b.GetProperty("type").GetInt32()));
        Assert.Equal([2, 1], blocks.Select(b => b.GetProperty("number").GetInt32()));
        Assert.Equal([0x10, 0], blocks.Select(b => b.GetProperty("flags").GetInt32()));
        Assert.Equal([2, 2], blocks.Select(b => b.GetProperty("crcType").GetInt32()));
        Assert.Equal([4, 100], blocks.Select(b => b.GetProperty("length").GetInt32()));
        Assert.Equal(100, blocks[0].GetProperty("hopLimit").GetInt32());
        Assert.Equal(100, json.RootElement.GetProperty("payloadLength").GetInt32());
    }

    [Fact]
    public void RawBinaryFile_IsReadAsWell()
    {
        var (code, output, _) = Run(Write("b.bundle", Vectors.HexLines("interop/ud3tn_generated_mtcp_to_c.hex")[0]));
        Assert.Equal(0, code);
        Assert.Contains("\"destination\": \"dtn://c.dtn/sink\"", output, StringComparison.Ordinal);
        Assert.Contains("\"reportTo\": \"dtn:none\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void PrimaryWithCrcType0_IsShownWithAWarningOnStderr()
    {
        var (code, output, errors) = Run(Write("ion.hex", Vectors.Hex("interop/ud3tn_accepted_unknown_block_type8_fresh.hex")));
        Assert.Equal(0, code);
        Assert.StartsWith("warning: the primary block has CRC type 0", errors, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, json.RootElement.GetProperty("primary").GetProperty("crcType").GetInt32());
        Assert.Contains(json.RootElement.GetProperty("blocks").EnumerateArray(), b => b.GetProperty("type").GetInt32() == 8 && b.GetProperty("typeName").GetString() == "unknown");
    }

    [Fact]
    public void ExpiredBundle_IsShown_NotRefused()
    {
        var (code, output, errors) = Run(Write("old.hex", Vectors.Hex("interop/ion_issue52_unknown_block_type8.hex")));
        Assert.Equal(0, code);
        Assert.Contains("warning: the bundle's lifetime ended at 2025-", errors, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("primary").GetProperty("expired").GetBoolean());
    }

    [Theory]
    [InlineData("badcrc", "BadCrc: block 1 (payload): CRC-32C is")]
    [InlineData("truncated", "Truncated: the input ends inside the bundle")]
    [InlineData("version", "UnsupportedVersion: bundle protocol version 6")]
    [InlineData("garbage", "cannot read")]
    [InlineData("cbor", "MalformedCbor:")]
    [InlineData("nopayload", "MissingPayload:")]
    public void InvalidBundle_Exits2_WithOneLineSayingWhy(string kind, string expected)
    {
        var hdtn = Vectors.Hex("interop/hdtn_bpgen_bpv7_bundle.hex");
        byte[] content = kind switch
        {
            "badcrc" => [.. hdtn[..^10], (byte)(hdtn[^10] ^ 1), .. hdtn[^9..]],
            "truncated" => hdtn[..^20],
            "version" => RawCbor.Bundle(RawCbor.Primary(version: 6), RawCbor.Payload()),
            "garbage" => "this is not a bundle"u8.ToArray(),
            "cbor" => [0x9F, 0xA1, 0x01],
            _ => RawCbor.Bundle(RawCbor.Primary()),
        };
        var (code, output, errors) = Run(Write(kind, content));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_Exits2()
    {
        var (code, _, errors) = Run(Path.Combine(_dir.Path, "nothing-here"));
        Assert.Equal(2, code);
        Assert.StartsWith("cannot read", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lunar.Dtn.EarthNode")]
    [InlineData("Lunar.Dtn.MoonNode")]
    public async Task NodeExecutable_BundleBpv7Inspect_PrintsJsonAndExits0(string project)
    {
        var path = Write("hdtn.hex", File.ReadAllBytes(Path.Combine(Vectors.Folder, "interop", "hdtn_bpgen_bpv7_bundle.hex")));
        using var process = ChildProcess.Start(project, ["bundle", "bpv7", "inspect", path]);
        Assert.Equal(0, await process.WaitForExitAsync($"{project} bundle bpv7 inspect"));
        Assert.Contains(process.Seen, l => l.Contains("\"destination\": \"ipn:2.1\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Lunar.Dtn.EarthNode")]
    [InlineData("Lunar.Dtn.MoonNode")]
    public async Task NodeExecutable_BundleBpv7Inspect_OfAnInvalidBundle_Exits2WithTheReason(string project)
    {
        var path = Write("bad.hex", "9f89"u8.ToArray());
        using var process = ChildProcess.Start(project, ["bundle", "bpv7", "inspect", path]);
        Assert.Equal(2, await process.WaitForExitAsync($"{project} bundle bpv7 inspect"));
        Assert.Equal("invalid BPv7 bundle: Truncated: the input ends inside the bundle, after 2 bytes", Assert.Single(process.Seen));
    }
}
