using Lunar.Dtn.Hosting;

namespace Lunar.Dtn.Tests.Hosting;

public sealed class ReconnectOptionTests
{
    private static readonly NodeOptions Node = new() { Id = "earth", DataDir = "data/earth" };

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3601)]
    [InlineData(double.NaN)]
    public void ReconnectMaxSeconds_OutOfRange_IsRefusedNamingTheKey(double seconds)
    {
        var errors = NodeOptionsValidator.Validate(Node, new RelayOptions { ReconnectMaxSeconds = seconds });
        Assert.Contains(errors, e => e.StartsWith("Link:ReconnectMaxSeconds must be", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.25)]
    [InlineData(30.0)]
    public void ReconnectMaxSeconds_UnsetOrPositive_IsAccepted(double? seconds) =>
        Assert.Empty(NodeOptionsValidator.Validate(Node, new RelayOptions { ReconnectMaxSeconds = seconds }));
}
