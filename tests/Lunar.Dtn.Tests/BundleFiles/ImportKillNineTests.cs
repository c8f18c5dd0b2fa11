using System.Security.Cryptography;
using Lunar.Dtn.BundleFiles;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>
/// A Tier 1 node's import killed (SIGKILL) halfway through applying a large stick, then run again, ends exactly where
/// one clean import ends: every bundle is merged and made durable atomically, and one already held is a no-op.
/// </summary>
[Collection(Fleet.FleetCollection.Name)]
public sealed class ImportKillNineTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int EarthSticks = 48;
    private readonly UsbWorld _world = new();

    [Fact]
    public async Task Import_KilledWhileApplying_ThenRunAgain_EqualsOneCleanImport()
    {
        var stick = LargeMoonStickForTier1();
        var sections = BundleFileReader.Read(File.ReadAllBytes(stick), null, null, DateTimeOffset.UnixEpoch).File!.Manifest.Sections.Count;
        Assert.True(sections >= 20, $"the stick should hold many bundles, not {sections}");

        // The clean reference: one uninterrupted import into a second folder of the same node.
        var clean = _world.ImportInto("tier1-alpha", _world.File("tier1-clean"), stick);
        Assert.True(clean.Code == 0, clean.ToString());

        _world.Init("tier1-alpha");
        using (var import = ChildProcess.Start("Lunar.Dtn.MoonNode", ["bundle", "import", stick, .. _world.Tokens("tier1-alpha")]))
        {
            await import.WaitForLineAsync(l => l.StartsWith("applying bundles: ", StringComparison.Ordinal), "the import to start applying bundles", TimeSpan.FromSeconds(60));
            Assert.False(import.HasExited, "the import must still be running when it is killed");
            import.Kill();
            await import.WaitForExitAsync("the killed import");
        }
        var again = _world.Import("tier1-alpha", stick);
        output.WriteLine($"after the kill, {again.Out.Split('\n').Last(l => l.Length > 0)}");
        Assert.True(again.Code == 0, again.ToString());
        Assert.Contains("skipped", again.Out, StringComparison.Ordinal);
        Assert.Equal(DataFolderDigest.Of(_world.File("tier1-clean")), DataFolderDigest.Of(_world.DataDir("tier1-alpha")));

        // And a third time: nothing left to do.
        Assert.Contains("nothing new from moon", _world.Import("tier1-alpha", stick).Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// Earth sends the Moon <see cref="EarthSticks"/> sticks, each with a large operator note (incompressible), so the
    /// Moon keeps that many separate Earth intervals for tier1-alpha and its stick carries them as that many bundles.
    /// </summary>
    private string LargeMoonStickForTier1()
    {
        _world.EarthPlansTier1Campaign("alice", "bob");
        using (var earth = _world.Open("earth"))
        using (var moon = _world.Open("moon"))
        {
            for (var i = 0; i < EarthSticks; i++)
            {
                earth.Replica.SetNote($"srv-{i:D3}", Convert.ToHexString(RandomNumberGenerator.GetBytes(350_000)), "mission-control");
                var file = BundleFileExporter.Export(earth.Replica, "moon", moon.Replica.Vector);
                var check = BundleFileImporter.Check(file.Seal(earth.Key), moon.Replica, moon.Store);
                Assert.True(check.Ok, check.Rejection?.Reason);
                BundleFileImporter.Apply(check.File!, moon.Replica);
            }
        }
        return _world.Stick("moon", "tier1-alpha", "large.ldbf");
    }

    public void Dispose() => _world.Dispose();
}
