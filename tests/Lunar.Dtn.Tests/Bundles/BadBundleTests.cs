using System.Security.Cryptography;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Bundles;

/// <summary>
/// Hostile and broken input at <see cref="Replica.Receive"/>: every one is refused with a reason a person can
/// read, and the receiver (memory and store) is exactly as it was, byte for byte.
/// </summary>
public sealed class BadBundleTests : IDisposable
{
    private readonly TestNodes _nodes = new("earth", "moon", "tier1");
    private readonly byte[] _firstBundle;

    public BadBundleTests()
    {
        // The moon already holds earth's first campaign and a note of its own, so "unchanged" means something.
        Earth.DefineCampaign("c1", "alice", ctx => new CampaignDefinition { Name = new("first", ctx.Stamp, ctx.ReplicaId) });
        var first = Earth.BuildBundles("moon", VersionVector.Empty).Bundles;
        _firstBundle = first[0].Bytes;
        foreach (var b in first) Assert.Equal(ReceiveStatus.Applied, Moon.Receive(b.Bytes).Status);
        Moon.SetNote("srv-1", "checked by the moon", "bob");
        _nodes.Time.Advance(TimeSpan.FromSeconds(3));
        Earth.DefineCampaign("c2", "alice", ctx => new CampaignDefinition { Name = new("second", ctx.Stamp, ctx.ReplicaId) });
    }

    private Replica Earth => _nodes["earth"];
    private Replica Moon => _nodes["moon"];
    private Replica Tier1 => _nodes["tier1"];
    private DateTimeOffset Now => _nodes.Time.GetUtcNow();

    /// <summary>Earth's genuine control bundle for the moon, carrying c2 (it would apply if delivered as is).</summary>
    private byte[] FreshBundle() => Earth.BuildBundles("moon", Moon.Vector).Bundles[0].Bytes;

    private StoreDigest Digest(string id) => StoreDigest.Of(_nodes[id], _nodes.StoreOf(id));

    private static void AssertRejected(ReceiveOutcome outcome, RejectionCode code, params string[] mentions)
    {
        Assert.True(outcome.Status == ReceiveStatus.Rejected, $"expected a {code} rejection, got {outcome}");
        Assert.NotNull(outcome.Rejection);
        Assert.Equal(code, outcome.Rejection.Code);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Rejection.Reason));
        foreach (var m in mentions) Assert.Contains(m, outcome.Rejection.Reason, StringComparison.Ordinal);
        Assert.Equal(0, outcome.DeltasApplied);
        Assert.False(outcome.ShouldAcknowledge);
        Assert.False(outcome.PeerAckAdvanced);
    }

    private static string IdOf(byte[] bundle) => BundleCodec.PeekHeader(bundle)!.Id;

    [Fact]
    public void Receive_FreshBundle_Applies_SoTheRejectionsBelowAreAboutTheDamage()
    {
        var before = Digest("moon");
        var outcome = Moon.Receive(FreshBundle());
        Assert.Equal(ReceiveStatus.Applied, outcome.Status);
        Assert.NotEqual(before, Digest("moon"));
    }

    [Fact]
    public void Receive_BundleSignedByWrongKey_IsRejectedAsBadSignature_AndStoreUnchanged()
    {
        var genuine = FreshBundle();
        var intervals = BundleForge.IntervalsOf(genuine, _nodes.Trust, "moon", Now);
        using var impostor = NodeKey.FromSeed("earth", SHA256.HashData("impostor"u8));
        var forged = BundleForge.Deltas(impostor, "moon", intervals, Earth.Vector, Now);
        var before = Digest("moon");

        var outcome = Moon.Receive(forged);

        AssertRejected(outcome, RejectionCode.BadSignature, IdOf(forged), "signature does not match earth's key");
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_BundleFromUnknownKey_IsRejectedAsUnknownSigner_AndStoreUnchanged()
    {
        using var mallory = NodeKey.FromSeed("mallory", SHA256.HashData("mallory"u8));
        var bundle = BundleForge.Deltas(mallory, "moon", BundleForge.IntervalsOf(FreshBundle(), _nodes.Trust, "moon", Now), Earth.Vector, Now);
        var before = Digest("moon");

        var outcome = Moon.Receive(bundle);

        AssertRejected(outcome, RejectionCode.UnknownSigner, IdOf(bundle), "unknown node 'mallory'");
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_BundleFromRevokedKey_IsRejectedAsRevokedSigner_AndStoreUnchanged()
    {
        var bundle = FreshBundle();
        Moon.UseTrust(new TrustStore(2, _nodes.Trust.Nodes, [], [Earth.Key.PublicKeyHex.ToUpperInvariant()]));
        var before = Digest("moon");

        var outcome = Moon.Receive(bundle);

        AssertRejected(outcome, RejectionCode.RevokedSigner, IdOf(bundle), "'earth'", "revoked");
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_TruncatedBundle_IsRejectedAsTruncated_AtEveryCut_AndStoreUnchanged()
    {
        var bundle = FreshBundle();
        var (_, headerLength, payloadAt, payloadLength) = BundleForge.Layout(bundle);
        var cuts = new[] { 0, 1, 4, 6, 6 + headerLength / 2, payloadAt - 1, payloadAt + payloadLength / 2, bundle.Length - BundleCodec.SignatureLength, bundle.Length - 1 };
        var before = Digest("moon");

        foreach (var cut in cuts)
        {
            var outcome = Moon.Receive(bundle.AsSpan(0, cut));
            Assert.True(outcome.Status == ReceiveStatus.Rejected, $"cut at {cut} of {bundle.Length}: {outcome}");
            AssertRejected(outcome, RejectionCode.Truncated, $"{cut}");
        }
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_BitFlippedPayload_IsRejectedAsBadSignature_AndStoreUnchanged()
    {
        var bundle = FreshBundle();
        var (_, _, payloadAt, payloadLength) = BundleForge.Layout(bundle);
        var before = Digest("moon");

        foreach (var at in new[] { payloadAt, payloadAt + payloadLength / 2, payloadAt + payloadLength - 1 })
        {
            var outcome = Moon.Receive(BundleForge.Flip(bundle, at, 0x10));
            AssertRejected(outcome, RejectionCode.BadSignature, IdOf(bundle), "altered in transit or forged");
        }
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_BitFlippedHeader_IsRejected_AndStoreUnchanged()
    {
        var bundle = FreshBundle();
        var (headerAt, headerLength, _, _) = BundleForge.Layout(bundle);
        var before = Digest("moon");

        // A flip inside the destination keeps the header parseable and the signer known: the signature catches it.
        var destinationAt = bundle.AsSpan(headerAt, headerLength).IndexOf("moon"u8) + headerAt;
        Assert.True(destinationAt >= headerAt, "the header names its destination");
        AssertRejected(Moon.Receive(BundleForge.Flip(bundle, destinationAt + 1, 0x01)), RejectionCode.BadSignature, "signature does not match earth's key");

        // Any other single-bit flip anywhere in the header is refused too, whatever the check that notices it.
        var allowed = new[] { RejectionCode.MalformedHeader, RejectionCode.UnknownSigner, RejectionCode.BadSignature, RejectionCode.UnsupportedVersion };
        for (var at = headerAt; at < headerAt + headerLength; at++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80 })
            {
                var outcome = Moon.Receive(BundleForge.Flip(bundle, at, mask));
                Assert.True(outcome.Status == ReceiveStatus.Rejected, $"header byte {at} ^ {mask:x2}: {outcome}");
                Assert.Contains(outcome.Rejection!.Code, allowed);
                Assert.False(string.IsNullOrWhiteSpace(outcome.Rejection.Reason));
            }
        }
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_AnySingleBitFlipAnywhere_IsRejected_AndStoreUnchanged()
    {
        var bundle = FreshBundle();
        var before = Digest("moon");
        for (var at = 0; at < bundle.Length; at++)
        {
            var outcome = Moon.Receive(BundleForge.Flip(bundle, at, (byte)(1 << (at % 8))));
            Assert.True(outcome.Status == ReceiveStatus.Rejected, $"bit flip at byte {at} of {bundle.Length} was not refused: {outcome}");
            Assert.False(string.IsNullOrWhiteSpace(outcome.Rejection!.Reason));
        }
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_ExpiredBundle_IsRejectedAsExpired_AndStoreUnchanged()
    {
        var bundle = FreshBundle();
        _nodes.Time.Advance(new ReplicaOptions { Id = "x" }.BundleLifetime + TimeSpan.FromMilliseconds(1));
        var before = Digest("moon");

        var outcome = Moon.Receive(bundle);

        AssertRejected(outcome, RejectionCode.Expired, IdOf(bundle), "expired at");
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_BundleJustBeforeItsExpiry_StillApplies()
    {
        var bundle = FreshBundle();
        _nodes.Time.Advance(new ReplicaOptions { Id = "x" }.BundleLifetime - TimeSpan.FromMilliseconds(1));
        Assert.Equal(ReceiveStatus.Applied, Moon.Receive(bundle).Status);
    }

    [Fact]
    public void Receive_ReplayOfDeliveredBundle_IsDuplicateWithReplayRejection_AndStoreUnchanged()
    {
        var bundle = FreshBundle();
        Assert.Equal(ReceiveStatus.Applied, Moon.Receive(bundle).Status);
        _nodes.Time.Advance(TimeSpan.FromHours(6));
        Moon.SetNote("srv-2", "later work", "bob");
        var before = Digest("moon");

        foreach (var replay in new[] { bundle, _firstBundle })
        {
            var outcome = Moon.Receive(replay);
            Assert.Equal(ReceiveStatus.Duplicate, outcome.Status);
            Assert.Equal(RejectionCode.Replay, outcome.Rejection?.Code);
            Assert.Contains(IdOf(replay), outcome.Rejection!.Reason, StringComparison.Ordinal);
            Assert.Contains("replay", outcome.Rejection.Reason, StringComparison.Ordinal);
            Assert.Equal(0, outcome.DeltasApplied);
            Assert.False(outcome.PeerAckAdvanced);
        }
        Assert.Equal(before, Digest("moon"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Receive_RandomBytes_AreRejected_AndStoreUnchanged(int seed)
    {
        var random = new Random(seed);
        var before = Digest("moon");
        foreach (var length in new[] { 0, 1, 5, 6, 73, 74, 75, 100, 300, 1000, 5000, random.Next(0, 70_000) })
        {
            for (var variant = 0; variant < 3; variant++)
            {
                var bytes = new byte[length];
                random.NextBytes(bytes);
                if (variant >= 1 && length >= 6) "LDB1"u8.CopyTo(bytes); // past the magic check
                if (variant == 2 && length >= 74)
                {
                    // A consistent frame around random header and payload bytes: past the length checks too.
                    var headerLength = random.Next(0, Math.Min(BundleCodec.MaxHeaderLength, length - 74) + 1);
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)headerLength);
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(6 + headerLength), (uint)(length - 74 - headerLength));
                }
                var outcome = Moon.Receive(bytes);
                Assert.True(outcome.Status == ReceiveStatus.Rejected, $"seed {seed}, {length} random bytes (variant {variant}) not refused: {outcome}");
                Assert.False(string.IsNullOrWhiteSpace(outcome.Rejection!.Reason), $"seed {seed}, length {length}: empty reason");
            }
        }
        Assert.Equal(before, Digest("moon"));
    }

    [Theory]
    [InlineData(BundleKind.Deltas)]
    [InlineData(BundleKind.Ack)]
    [InlineData(BundleKind.Snapshot)]
    public void Receive_ValidlySignedRandomPayload_IsRejectedAsMalformedPayload_AndStoreUnchanged(BundleKind kind)
    {
        var before = Digest("moon");
        for (var seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            var payload = new byte[random.Next(0, 2000)];
            random.NextBytes(payload);
            var bundle = BundleForge.Seal(Earth.Key, "moon", kind, payload, Now);
            var outcome = Moon.Receive(bundle);
            Assert.True(outcome.Status == ReceiveStatus.Rejected, $"seed {seed}, {kind}: {outcome}");
            AssertRejected(outcome, RejectionCode.MalformedPayload, IdOf(bundle));
        }
        Assert.Equal(before, Digest("moon"));
    }

    public static TheoryData<string, string> HollowPayloads => new()
    {
        // MessagePack arrays whose fields are nil where the types say "never null".
        { "Deltas", "92 c0 c0" },
        { "Deltas", "92 90 c0" },
        { "Deltas", "92 c0 91 90" },
        { "Deltas", "92 91 c0 91 90" },
        { "Deltas", "92 91 96 c0 00 01 c0 c0 c0 91 90" },
        { "Ack", "92 90 c0" },
        { "Snapshot", "92 c0 c0" },
        { "Snapshot", "92 c4 00 c0" },
        { "Snapshot", "92 c0 91 91 92 92 a5 6561727468 00 05" },
    };

    [Theory]
    [MemberData(nameof(HollowPayloads))]
    public void Receive_ValidlySignedPayloadWithNullFields_IsRejectedAsMalformedPayload_AndStoreUnchanged(string kind, string hex)
    {
        var payload = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        var bundle = BundleForge.Seal(Earth.Key, "moon", Enum.Parse<BundleKind>(kind), payload, Now);
        var before = Digest("moon");

        var outcome = Moon.Receive(bundle);

        AssertRejected(outcome, RejectionCode.MalformedPayload, IdOf(bundle));
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_BundleAddressedToAnotherNode_IsRejectedAsWrongDestination_AndStoreUnchanged()
    {
        var forTier1 = Earth.BuildBundles("tier1", VersionVector.Empty).Bundles[0].Bytes;
        var before = Digest("moon");

        var outcome = Moon.Receive(forTier1);

        AssertRejected(outcome, RejectionCode.WrongDestination, IdOf(forTier1), "'tier1'", "'moon'");
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_ForwardedIntervalWithAlteredContent_IsRejectedAsBadOriginSignature_AndStoreUnchanged()
    {
        // The moon holds earth's signed c2 interval and re-wraps an altered copy in its own, validly signed bundle.
        var earthInterval = BundleForge.IntervalsOf(FreshBundle(), _nodes.Trust, "moon", Now)
            .Single(i => i.Stream == new StreamId("earth", Channel.Control));
        var fragment = Serialization.Deserialize<ReplicaState>(earthInterval.Fragment);
        fragment.Campaigns["c2"] = fragment.Campaigns["c2"] with
        {
            Definition = fragment.Campaigns["c2"].Definition! with { BatchSize = new(5000, fragment.Campaigns["c2"].Definition!.Name!.Stamp, "earth") },
        };
        var altered = earthInterval with { Fragment = fragment.ToBytes() };
        var stretched = earthInterval with { To = earthInterval.To + 1 };
        var before = Digest("tier1");

        foreach (var forged in new[] { altered, stretched })
        {
            var bundle = BundleForge.Deltas(Moon.Key, "tier1", [forged], Moon.Vector, Now);
            var outcome = Tier1.Receive(bundle);
            AssertRejected(outcome, RejectionCode.BadOriginSignature, IdOf(bundle), "earth/control", "valid signature of earth");
        }
        Assert.Equal(before, Digest("tier1"));
        Assert.False(Tier1.Read((s, _) => s.Campaigns.ContainsKey("c2")));
    }

    [Fact]
    public void Receive_IntervalClaimingEarthButSignedWithMoonsKey_IsRejectedAsBadOriginSignature_AndStoreUnchanged()
    {
        // The moon cannot forge an earth interval: its own secret under earth's name does not verify as earth.
        using var moonAsEarth = NodeKey.FromSeed("earth", SHA256.HashData("lunar-dtn-simulation-key:moon"u8));
        Assert.Equal(Moon.Key.PublicKey, moonAsEarth.PublicKey);
        var fragment = new ReplicaState();
        fragment.Campaigns["evil"] = new CampaignRecord(new CampaignDefinition { Name = new("forged", Earth.Now(), "earth") }, null, false);
        var forged = SignedInterval.Create(new StreamId("earth", Channel.Control), 0, 1, Earth.Now(), fragment, moonAsEarth);
        var bundle = BundleForge.Deltas(Moon.Key, "tier1", [forged], Moon.Vector, Now);
        var before = Digest("tier1");

        var outcome = Tier1.Receive(bundle);

        AssertRejected(outcome, RejectionCode.BadOriginSignature, IdOf(bundle), "earth/control (0, 1]", "valid signature of earth");
        Assert.Equal(before, Digest("tier1"));
    }

    [Fact]
    public void Receive_IntervalOfUnknownOrigin_IsRejectedAsBadOriginSignature_AndStoreUnchanged()
    {
        using var mallory = NodeKey.FromSeed("mallory", SHA256.HashData("mallory"u8));
        var fragment = new ReplicaState();
        fragment.Campaigns["evil"] = new CampaignRecord(new CampaignDefinition { Name = new("forged", Earth.Now(), "mallory") }, null, false);
        var interval = SignedInterval.Create(new StreamId("mallory", Channel.Control), 0, 1, Earth.Now(), fragment, mallory);
        var bundle = BundleForge.Deltas(Earth.Key, "moon", [interval], Earth.Vector, Now);
        var before = Digest("moon");

        var outcome = Moon.Receive(bundle);

        AssertRejected(outcome, RejectionCode.BadOriginSignature, IdOf(bundle), "mallory/control", "unknown node 'mallory'");
        Assert.Equal(before, Digest("moon"));
    }

    public static TheoryData<string> RuleBreakingFragments => new() { "server-on-control", "campaign-on-status", "audit-of-another-replica", "audit-under-wrong-key" };

    private ReplicaState RuleBreaking(string kind)
    {
        var f = new ReplicaState();
        var stamp = Earth.Now();
        switch (kind)
        {
            case "server-on-control":
                f.Servers["srv-1"] = new ServerRecord(null, null, new LwwRegister<string>("sneaky", stamp, "earth"));
                break;
            case "campaign-on-status":
                f.Campaigns["c9"] = new CampaignRecord(new CampaignDefinition { Name = new("sneaky", stamp, "earth") }, null, false);
                break;
            case "audit-of-another-replica":
                var fake = new AuditEntry("moon", 99, stamp.Value, "mallory", "campaign-cancel", "not the moon's", AuditEntry.GenesisHash);
                f.Audit[fake.Key] = fake;
                break;
            default:
                var entry = new AuditEntry("earth", 99, stamp.Value, "alice", "note", "misfiled", AuditEntry.GenesisHash);
                f.Audit["earth:000000000001"] = entry;
                break;
        }
        return f;
    }

    [Theory]
    [MemberData(nameof(RuleBreakingFragments))]
    public void Receive_ValidlySignedFragmentBreakingFragmentRules_IsRejectedAsMalformedPayload_AndStoreUnchanged(string kind)
    {
        var channel = kind == "server-on-control" ? Channel.Control : Channel.Status;
        var stream = new StreamId("earth", channel);
        var have = Moon.Vector.Get(stream);
        var interval = SignedInterval.Create(stream, have, have + 1, Earth.Now(), RuleBreaking(kind), Earth.Key);
        var bundle = BundleForge.Deltas(Earth.Key, "moon", [interval], Earth.Vector, Now);
        var before = Digest("moon");

        var outcome = Moon.Receive(bundle);

        AssertRejected(outcome, RejectionCode.MalformedPayload, IdOf(bundle), stream.ToString());
        Assert.Equal(before, Digest("moon"));
    }

    [Theory]
    [MemberData(nameof(RuleBreakingFragments))]
    public void Receive_RuleBreakingFragmentAheadOfAGap_IsRejectedBeforeBeingHeld(string kind)
    {
        // Regression: an interval that waits for an earlier one was held unchecked; its content was only
        // looked at (or failed to parse) later, while merging an unrelated bundle.
        var channel = kind == "server-on-control" ? Channel.Control : Channel.Status;
        var stream = new StreamId("earth", channel);
        var have = Moon.Vector.Get(stream);
        var ahead = SignedInterval.Create(stream, have + 5, have + 6, Earth.Now(), RuleBreaking(kind), Earth.Key);
        var bundle = BundleForge.Deltas(Earth.Key, "moon", [ahead], Earth.Vector, Now);
        var before = Digest("moon");

        var outcome = Moon.Receive(bundle);

        AssertRejected(outcome, RejectionCode.MalformedPayload, IdOf(bundle), stream.ToString());
        Assert.Equal(before, Digest("moon"));
    }

    [Fact]
    public void Receive_UnparsableFragmentAheadOfAGap_IsRejected_AndTheGapFillerStillApplies()
    {
        // Regression: the held interval's fragment was parsed only when the gap closed, inside another
        // bundle's merge, where the parse failure escaped Receive after memory had changed.
        var stream = new StreamId("earth", Channel.Control);
        var have = Moon.Vector.Get(stream);
        var garbage = new SignedInterval(stream, have + 1, have + 2, Earth.Now(), [0xc1, 0xc1, 0xc1], []);
        var signed = garbage with { Signature = SignGarbage(garbage) };
        Assert.True(signed.VerifyWith(Earth.Key.PublicKey));
        var bundle = BundleForge.Deltas(Earth.Key, "moon", [signed], Earth.Vector, Now);
        var before = Digest("moon");

        AssertRejected(Moon.Receive(bundle), RejectionCode.MalformedPayload, IdOf(bundle), "does not parse");
        Assert.Equal(before, Digest("moon"));

        var filler = Moon.Receive(FreshBundle());
        Assert.Equal(ReceiveStatus.Applied, filler.Status);
        Assert.Equal(have + 1, Moon.Vector.Get(stream));
    }

    public static TheoryData<string, string> HollowFragments => new()
    {
        // ReplicaState arrays (campaigns, artifacts, approvals, revocations, servers, audit) holding nil records.
        { "Control", "96 81 a1 78 c0 80 80 80 80 80" },
        { "Control", "96 80 81 a1 78 c0 80 80 80 80" },
        { "Control", "96 80 80 81 a1 78 c0 80 80 80" },
        { "Control", "96 80 80 80 81 a1 78 c0 80 80" },
        { "Status", "96 80 80 80 80 81 a1 78 c0 80" },
        { "Status", "96 80 80 80 80 80 81 a1 78 c0" },
        { "Status", "96 80 80 80 80 80 81 a1 78 97 c0 01 02 c0 c0 c0 c0" },
    };

    [Theory]
    [MemberData(nameof(HollowFragments))]
    public void Receive_ValidlySignedFragmentWithNullRecords_IsRejectedAsMalformedPayload_AndStoreUnchanged(string channel, string hex)
    {
        var stream = new StreamId("earth", Enum.Parse<Channel>(channel));
        var have = Moon.Vector.Get(stream);
        var hollow = new SignedInterval(stream, have, have + 1, Earth.Now(), Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), []);
        var signed = hollow with { Signature = SignGarbage(hollow) };
        var bundle = BundleForge.Deltas(Earth.Key, "moon", [signed], Earth.Vector, Now);
        var before = Digest("moon");

        var outcome = Moon.Receive(bundle);

        Assert.True(outcome.Status == ReceiveStatus.Rejected, $"{hex}: {outcome}");
        AssertRejected(outcome, RejectionCode.MalformedPayload, IdOf(bundle), stream.ToString());
        Assert.Equal(before, Digest("moon"));
    }

    [Theory]
    [MemberData(nameof(HollowFragments))]
    public void Receive_ValidlySignedSnapshotWithNullRecords_IsRejectedAsMalformedPayload_AndStoreUnchanged(string channel, string hex)
    {
        _ = channel;
        var covers = Earth.Vector.Merge(Moon.Vector).With(new StreamId("earth", Channel.Control), 50);
        var payload = Serialization.Serialize(new SnapshotPayload(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), covers));
        var bundle = BundleForge.Seal(Earth.Key, "moon", BundleKind.Snapshot, payload, Now);
        var before = Digest("moon");

        var outcome = Moon.Receive(bundle);

        Assert.True(outcome.Status == ReceiveStatus.Rejected, $"{hex}: {outcome}");
        AssertRejected(outcome, RejectionCode.MalformedPayload, IdOf(bundle));
        Assert.Equal(before, Digest("moon"));
    }

    /// <summary>Earth's real signature over an interval whose fragment is not a state (a buggy or compromised origin).</summary>
    private byte[] SignGarbage(SignedInterval i) =>
        Earth.Key.Sign(Serialization.Serialize(("lunar-dtn/interval/v1", i.Stream.Origin, (byte)i.Stream.Channel, i.From, i.To, i.MaxStamp.Value, i.Fragment)));

    public void Dispose() => _nodes.Dispose();
}
