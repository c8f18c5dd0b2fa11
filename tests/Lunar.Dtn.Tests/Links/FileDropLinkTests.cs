using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links;
using Lunar.Dtn.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Tests.Links;

public sealed class FileDropLinkTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Send_LeavesOneCompleteBundleFileInThePeersInbox_AndNoTemporaryFile()
    {
        using var dir = new ScratchDir("drop");
        using var earth = Link(dir, "earth", "moon");
        earth.Start();
        earth.Send(new byte[] { 1, 2, 3 }, BundlePriority.Status);

        var files = Directory.GetFiles(Path.Combine(dir.Path, "to-moon"));
        var file = Assert.Single(files);
        Assert.EndsWith(".bundle", file, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(file));
    }

    [Fact]
    public void Poll_DeliversInPriorityThenSendOrder_AndDeletesEachFileOnlyAfterTheHandlerReturned()
    {
        using var dir = new ScratchDir("drop");
        using var earth = Link(dir, "earth", "moon");
        using var moon = Link(dir, "moon", "earth");
        earth.Start();
        earth.Send(new byte[] { 1 }, BundlePriority.Status);
        earth.Send(new byte[] { 2 }, BundlePriority.Bulk);
        earth.Send(new byte[] { 3 }, BundlePriority.Control);
        earth.Send(new byte[] { 4 }, BundlePriority.Status);
        var got = new List<byte>();
        var filesDuringHandler = new List<int>();
        moon.Received += b =>
        {
            got.Add(b.Span[0]);
            filesDuringHandler.Add(Directory.GetFiles(Path.Combine(dir.Path, "to-moon"), "*.bundle").Length);
        };
        moon.Start();

        Assert.Equal(new byte[] { 3, 1, 4, 2 }, got);
        Assert.Equal([4, 3, 2, 1], filesDuringHandler); // the file being handled is still there
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "to-moon")));
    }

    [Fact]
    public void AFailingHandler_LeavesTheFile_WhichIsDeliveredAgainOnTheNextScan()
    {
        using var dir = new ScratchDir("drop");
        using var earth = Link(dir, "earth", "moon");
        using var moon = Link(dir, "moon", "earth");
        earth.Start();
        earth.Send(new byte[] { 9 }, BundlePriority.Status);
        var calls = 0;
        var faults = 0;
        moon.Received += _ => { if (++calls == 1) throw new InvalidOperationException("store failed"); };
        moon.Faulted += (_, _) => faults++;
        moon.Start();
        Assert.Equal(1, faults);
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "to-moon")));

        _time.Advance(Poll);
        Assert.Equal(2, calls);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "to-moon")));
    }

    [Fact]
    public void DownMarker_CutsTheLink_BothWays_UntilRemoved()
    {
        using var dir = new ScratchDir("drop");
        using var earth = Link(dir, "earth", "moon");
        using var moon = Link(dir, "moon", "earth");
        var states = new List<bool>();
        var got = 0;
        moon.StateChanged += states.Add;
        moon.Received += _ => got++;
        earth.Start();
        moon.Start();
        earth.Send(new byte[] { 1 }, BundlePriority.Status);
        File.WriteAllText(Path.Combine(dir.Path, "link-down"), "");
        _time.Advance(Poll);
        Assert.False(earth.IsUp);
        earth.Send(new byte[] { 2 }, BundlePriority.Status); // dropped: the sender keeps custody

        File.Delete(Path.Combine(dir.Path, "link-down"));
        _time.Advance(Poll);
        Assert.Equal([true, false, true], states);
        Assert.Equal(1, got);
    }

    [Fact]
    public void TemporaryFiles_AreNeverDelivered_AndTheSenderRemovesItsOwnOnStart()
    {
        using var dir = new ScratchDir("drop");
        Directory.CreateDirectory(Path.Combine(dir.Path, "to-moon"));
        var half = Path.Combine(dir.Path, "to-moon", ".0000000000000000001-dead.tmp");
        File.WriteAllBytes(half, [1, 2]);
        using var moon = Link(dir, "moon", "earth");
        var got = 0;
        moon.Received += _ => got++;
        moon.Start();
        Assert.Equal(0, got);
        Assert.True(File.Exists(half));

        using var earth = Link(dir, "earth", "moon");
        earth.Start();
        Assert.False(File.Exists(half));
    }

    private FileDropLink Link(ScratchDir dir, string local, string peer) =>
        new(dir.Path, local, peer, _time, new FileDropOptions { PollInterval = Poll });
}
