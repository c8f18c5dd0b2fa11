using Lunar.Dtn.Links.Tcpcl;
using Lunar.Dtn.Tests.Bpv7;

namespace Lunar.Dtn.Tests.Links.Tcpcl;

/// <summary>The TCPCLv4 messages captured between HDTN's bpgen and bpsink decode, and encode back to the same bytes.</summary>
public sealed class TcpclCodecTests
{
    private static Dictionary<string, byte[]> Capture() =>
        File.ReadAllLines(Path.Combine(Vectors.Folder, "interop", "hdtn_tcpclv4_session_first_messages.txt"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[0].Split('(')[0], p => Convert.FromHexString(p[1].Trim()), StringComparer.Ordinal);

    private static async Task<TcpclMessage> Decode(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var m = await TcpclCodec.ReadAsync(stream, 1_000_000, CancellationToken.None);
        Assert.Equal(bytes.Length, stream.Position);
        return m!;
    }

    [Fact]
    public void ContactHeader_IsHdtns()
    {
        var c = Capture();
        Assert.Equal(c["client_contact_header"], TcpclCodec.ContactHeader());
        Assert.Equal(c["server_contact_header"], TcpclCodec.ContactHeader());
    }

    [Theory]
    [InlineData("client_SESS_INIT")]
    [InlineData("server_SESS_INIT")]
    [InlineData("client_first_XFER_SEGMENT")]
    [InlineData("server_first_XFER_ACK")]
    [InlineData("client_SESS_TERM")]
    [InlineData("server_SESS_TERM_reply")]
    public async Task HdtnMessage_Decodes_AndReencodesToTheSameBytes(string name)
    {
        var bytes = Capture()[name];
        var m = await Decode(bytes);
        Assert.Equal(bytes, TcpclCodec.Encode(m));
    }

    [Fact]
    public async Task HdtnSessInit_SaysKeepalive17_SegmentMru200000_TransferMru10000000_NodeIpn1()
    {
        var init = Assert.IsType<SessInit>(await Decode(Capture()["client_SESS_INIT"]));
        Assert.Equal(new SessInit(17, 200_000, 10_000_000, "ipn:1.0", []) with { Extensions = init.Extensions }, init);
        Assert.Empty(init.Extensions);
    }

    [Fact]
    public async Task HdtnSegment_CarriesTheWholeHdtnBundle()
    {
        var seg = Assert.IsType<XferSegment>(await Decode(Capture()["client_first_XFER_SEGMENT"]));
        Assert.True(seg.IsStart && seg.IsEnd);
        Assert.Equal(0UL, seg.TransferId);
        Assert.Equal(Vectors.Hex("interop/hdtn_bpgen_bpv7_bundle.hex"), seg.Data);
        var ack = Assert.IsType<XferAck>(await Decode(Capture()["server_first_XFER_ACK"]));
        Assert.Equal((ulong)seg.Data.Length, ack.AcknowledgedLength);
        Assert.True(Assert.IsType<SessTerm>(await Decode(Capture()["server_SESS_TERM_reply"])).IsReply);
    }

    [Fact]
    public async Task SegmentLargerThanTheMru_IsRefusedBeforeItsDataIsRead()
    {
        var bytes = TcpclCodec.Encode(new XferSegment(XferSegment.Start | XferSegment.End, 1, [], new byte[5000]));
        using var stream = new MemoryStream(bytes);
        var ex = await Assert.ThrowsAsync<TcpclProtocolException>(() => TcpclCodec.ReadAsync(stream, 4000, CancellationToken.None));
        Assert.Equal("segment of 5000 bytes exceeds this node's segment MRU of 4000", ex.Message);
        Assert.Equal(TcpclTerminationReason.ResourceExhaustion, ex.Reason);
    }

    [Fact]
    public async Task UnknownMessageType_AsksForAMsgReject()
    {
        using var stream = new MemoryStream([0x09, 0x00]);
        var ex = await Assert.ThrowsAsync<TcpclProtocolException>(() => TcpclCodec.ReadAsync(stream, 4000, CancellationToken.None));
        Assert.Equal((TcpclRejectReason.TypeUnknown, (byte)0x09), ex.Reject);
    }
}
