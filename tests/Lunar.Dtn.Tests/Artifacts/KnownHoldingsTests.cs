using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Artifacts;

public sealed class KnownHoldingsTests
{
    private const string Sha = "9caa9252908f66608a687d73c5c1a9ecdb7524b497f9262c3e63ade6ab2ead40";

    [Fact]
    public void Recorded_SurvivesAReopen_PerNode_AndSaysWhetherItWasNews()
    {
        using var dir = new TempDir();
        var known = new KnownHoldings(dir.Path);
        Assert.False(known.Holds("moon", Sha));
        Assert.True(known.Record("moon", [Sha.ToUpperInvariant()]));
        Assert.False(known.Record("moon", [Sha]), "recording it again is no news");

        var reopened = new KnownHoldings(dir.Path);
        Assert.True(reopened.Holds("moon", Sha));
        Assert.False(reopened.Holds("tier1-alpha", Sha));
    }

    [Fact]
    public void UnreadableFile_IsForgotten_NotFatal()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "known-holdings.json"), "{ torn");
        var known = new KnownHoldings(dir.Path);
        Assert.False(known.Holds("moon", Sha));
        Assert.True(known.Record("moon", [Sha]));
        Assert.True(new KnownHoldings(dir.Path).Holds("moon", Sha));
    }
}
