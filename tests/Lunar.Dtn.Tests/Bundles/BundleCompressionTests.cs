using Lunar.Dtn.Bundles;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Bundles;

public sealed class BundleCompressionTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(4_000)]
    [InlineData(300_000)]
    public void CompressiblePayload_IsSmallerOnTheWire_AndOpensToTheSameBytes(int size)
    {
        using var key = TestNodes.KeyFor("moon");
        var trust = new TrustStore(1, [new Principal("moon", "node", key.PublicKeyHex)], [], []);
        var payload = Enumerable.Range(0, size).Select(i => (byte)(i % 7 == 0 ? i / 7 : 'a' + i % 5)).ToArray();
        var now = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var header = new BundleHeader(BundleHeader.CurrentFormat, "moon", 1, "earth", 0, (now + TimeSpan.FromDays(1)).ToUnixTimeMilliseconds(),
            BundleKind.Deltas, BundlePriority.Status, PayloadCompression.None, 0);

        var bytes = BundleCodec.Seal(header, payload, key);
        var opened = BundleCodec.Open(bytes, trust, "earth", now);

        Assert.True(opened.Ok, opened.Rejection?.ToString());
        Assert.Equal(payload, opened.Bundle!.Payload.ToArray());
        if (size > 256)
        {
            Assert.Equal(PayloadCompression.Brotli, opened.Bundle.Header.Compression);
            Assert.True(bytes.Length < size / 2, $"{bytes.Length} bytes on the wire for {size} compressible bytes");
        }
    }
}
