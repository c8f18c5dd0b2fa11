using System.Diagnostics;
using System.Text.Json;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>Every executable's verbs answer --help; verbs for scripts print JSON with --json; bad input gets one clear line.</summary>
public sealed class CliPolishTests : IDisposable
{
    private readonly TempDir _dir = new("lunar-cli");

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs a built executable; stdout and stderr apart, so JSON on stdout can be parsed whatever is logged.</summary>
    private static async Task<(int Code, string Out, string Err)> RunAsync(string project, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        info.ArgumentList.Add(ChildProcess.BuiltDll(project));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw new TimeoutException($"{project} {string.Join(' ', args)} did not exit"); }
        return (p.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [InlineData("Lunar.Dtn.EarthNode", "--help")]
    [InlineData("Lunar.Dtn.EarthNode", "serve --help")]
    [InlineData("Lunar.Dtn.EarthNode", "init --help")]
    [InlineData("Lunar.Dtn.EarthNode", "constellation --help")]
    [InlineData("Lunar.Dtn.EarthNode", "constellation show --help")]
    [InlineData("Lunar.Dtn.EarthNode", "constellation dev --help")]
    [InlineData("Lunar.Dtn.EarthNode", "constellation add --help")]
    [InlineData("Lunar.Dtn.EarthNode", "constellation revoke --help")]
    [InlineData("Lunar.Dtn.EarthNode", "constellation renew --help")]
    [InlineData("Lunar.Dtn.EarthNode", "bundle export --help")]
    [InlineData("Lunar.Dtn.EarthNode", "approver new --help")]
    [InlineData("Lunar.Dtn.EarthNode", "approve --help")]
    [InlineData("Lunar.Dtn.MoonNode", "--help")]
    [InlineData("Lunar.Dtn.MoonNode", "serve --help")]
    [InlineData("Lunar.Dtn.Agent", "--help")]
    [InlineData("simulator", "--help")]
    [InlineData("simulator", "run --help")]
    [InlineData("simulator", "sweep --help")]
    [InlineData("simulator", "link --help")]
    [InlineData("simulator", "demo --help")]
    [InlineData("simulator", "bench --help")]
    [InlineData("simulator", "bench catchup --help")]
    public async Task Help_OnEveryVerb_ExitsZeroAndDescribesIt(string project, string args)
    {
        var (code, output, errors) = await RunAsync(project, args.Split(' '));
        Assert.True(code == 0, $"{project} {args} exited {code}: {errors}");
        Assert.Contains("Usage", output, StringComparison.OrdinalIgnoreCase);
        Assert.True(output.Split('\n').Length > 4, $"{project} {args} printed almost nothing:\n{output}");
    }

    [Fact]
    public async Task ConstellationShow_Json_PrintsThePrincipals()
    {
        DevConstellation.Create(_dir.Path, ["earth", "moon"], [("alice", "flight-director")]);
        var (code, output, errors) = await RunAsync("Lunar.Dtn.EarthNode", "constellation", "show", _dir.Sub(DevConstellation.FileName), "--json");
        Assert.True(code == 0, errors);
        var doc = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1, doc.GetProperty("version").GetInt32());
        Assert.True(doc.GetProperty("signatureValid").GetBoolean());
        Assert.Equal(["earth", "moon"], doc.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()).Order());
        Assert.Equal("flight-director", doc.GetProperty("approvers")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task ConstellationShow_Json_ListsOperatorsAndAgents_WithTheirCertificatesAndWhetherRevoked()
    {
        DevConstellation.Create(_dir.Path, ["moon"], [], [("vic", Roles.Viewer)], ["srv-00001"]);
        var (code, output, errors) = await RunAsync("Lunar.Dtn.EarthNode", "constellation", "show", _dir.Sub(DevConstellation.FileName), "--json");
        Assert.True(code == 0, errors);
        var doc = JsonDocument.Parse(output).RootElement;
        var vic = doc.GetProperty("operators")[0];
        Assert.Equal(("vic", "viewer", false), (vic.GetProperty("id").GetString(), vic.GetProperty("role").GetString(), vic.GetProperty("revoked").GetBoolean()));
        Assert.Equal(64, vic.GetProperty("tls").GetString()!.Length);
        Assert.Equal("srv-00001", doc.GetProperty("agents")[0].GetProperty("id").GetString());
        Assert.Contains("Lunar.Dtn development CA", doc.GetProperty("ca").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConstellationShow_MissingFile_ExitsTwoWithOneLineNamingIt()
    {
        var missing = _dir.Sub("nope.json");
        var (code, output, errors) = await RunAsync("Lunar.Dtn.EarthNode", "constellation", "show", missing);
        Assert.Equal(2, code);
        Assert.Empty(output.Trim());
        Assert.Contains("nope.json", errors, StringComparison.Ordinal);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task Init_Json_PrintsWhatItCreated_ThenThatItWasAlreadyInitialised()
    {
        var data = _dir.Sub("moon");
        var (code, output, errors) = await RunAsync("Lunar.Dtn.MoonNode", "init", "--json", "--Node:Id=moon", $"--Node:DataDir={data}");
        Assert.True(code == 0, errors);
        var first = JsonDocument.Parse(output).RootElement;
        Assert.Equal("moon", first.GetProperty("node").GetString());
        Assert.False(first.GetProperty("alreadyInitialised").GetBoolean());
        Assert.Contains(first.GetProperty("created").EnumerateArray(), p => p.GetString()!.EndsWith("replica.db", StringComparison.Ordinal));

        (code, output, errors) = await RunAsync("Lunar.Dtn.MoonNode", "init", "--json", "--Node:Id=moon", $"--Node:DataDir={data}");
        Assert.True(code == 0, errors);
        var second = JsonDocument.Parse(output).RootElement;
        Assert.True(second.GetProperty("alreadyInitialised").GetBoolean());
        Assert.Empty(second.GetProperty("created").EnumerateArray());
    }

    [Fact]
    public async Task Agent_WithoutConfiguration_NamesEveryMissingKeyAndExitsOne()
    {
        var (code, _, errors) = await RunAsync("Lunar.Dtn.Agent");
        Assert.Equal(1, code);
        Assert.Contains("Agent:ServerId", errors, StringComparison.Ordinal);
        Assert.Contains("Agent:DataDir", errors, StringComparison.Ordinal);
    }
}
