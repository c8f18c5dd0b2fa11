using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Access;

/// <summary>Private keys never readable by others; a node refuses to start on one that is, or with an offline key in its data folder; only HTTPS.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeysAtRestTests : IDisposable
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
    private readonly TempDir _dir = new();

    private string C => _dir.Sub("c");

    public KeysAtRestTests() => TestCredentials.Create(C, ["moon"], agents: ["srv-1"]);

    private string[] Args(params string[] extra) =>
        ["--Node:Id=moon", $"--Node:DataDir={_dir.Sub("data")}", "--Urls=https://127.0.0.1:0",
         $"--Node:Constellation={C}/constellation.json", $"--Node:KeyFile={C}/moon.key", .. extra];

    private static (bool Built, string Errors) Build(string[] args)
    {
        var errors = new StringWriter();
        var app = NodeHost.Build(args, NodeRole.Moon, errors, TimeProvider.System);
        if (app is not null) ((IDisposable)app).Dispose();
        return (app is not null, errors.ToString());
    }

    [Fact]
    public void DevConstellation_WritesEveryPrivateFileOwnerOnly()
    {
        var privateFiles = Directory.GetFiles(C).Where(f => f.EndsWith(".key", StringComparison.Ordinal) || f.EndsWith(".key.pem", StringComparison.Ordinal)
            || f.EndsWith(".pem", StringComparison.Ordinal) || f.EndsWith(".p12", StringComparison.Ordinal) || f.EndsWith(".passkey", StringComparison.Ordinal)).ToArray();
        Assert.True(privateFiles.Length >= 20, $"only {privateFiles.Length} private files: the constellation lacks principals");
        foreach (var f in privateFiles)
            Assert.True((File.GetUnixFileMode(f) & GroupOrOthers) == 0, $"{f} is mode {Convert.ToString((int)File.GetUnixFileMode(f), 8)}");
        Assert.Empty(Directory.GetFiles(C, "*.partial"));
    }

    [Theory]
    [InlineData("moon.key")]
    [InlineData("moon.key.pem")]
    public void KeyFileReadableByOthers_RefusesToStart_NamingTheFileAndTheFix(string file)
    {
        var path = Path.Combine(C, file);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead);
        var (built, errors) = Build(Args());
        Assert.False(built);
        Assert.Contains(path, errors, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {path}", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void RootKeyInsideTheDataFolder_RefusesToStart()
    {
        Directory.CreateDirectory(_dir.Sub("data"));
        File.Copy(Path.Combine(C, "root.key"), Path.Combine(_dir.Sub("data"), "root.key"));
        var (built, errors) = Build(Args());
        Assert.False(built);
        Assert.Contains("root.key is inside this node's data folder", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainHttpUrl_IsAConfigurationError()
    {
        var (built, errors) = Build([.. Args(), "--Urls=http://127.0.0.1:0"]);
        Assert.False(built);
        Assert.Contains("plain HTTP", errors, StringComparison.Ordinal);
        Assert.Contains("https://", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreAndLogs_AreNotReadableByOthers()
    {
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon", [$"--Node:Constellation={C}/constellation.json", $"--Node:KeyFile={C}/moon.key"], _dir.Sub("data"));
        var files = Directory.GetFiles(_dir.Sub("data"), "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("replica.db", StringComparison.Ordinal));
        foreach (var f in files)
            Assert.True((File.GetUnixFileMode(f) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite)) == 0,
                $"{f} is mode {Convert.ToString((int)File.GetUnixFileMode(f), 8)}");
    }

    public void Dispose() => _dir.Dispose();
}
