package org.iotpcap.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.Test;

/** Each link type iotpcap reads, with headers laid out as tcpdump.org/linktypes.html describes them. */
class LinkDecoderTest {
    /** A 28-byte IPv4/UDP packet: the network layer every frame below carries. */
    private static final byte[] IP4 = Packets.ipv4("192.0.2.1", "192.0.2.2", Packets.UDP, Packets.udp(1, 2, new byte[0]));
    private static final byte[] IP6 = Packets.ipv6("2001:db8::1", "2001:db8::2", Packets.UDP,
            Packets.udp(1, 2, new byte[0]));

    private static LinkFrame decodeOk(int linkType, byte[] frame, int etherType, int netOffset) {
        // put the frame at an offset in a larger array, as the capture buffer does
        byte[] buf = new byte[frame.length + 7];
        System.arraycopy(frame, 0, buf, 7, frame.length);
        LinkFrame out = new LinkFrame();
        assertThat(LinkDecoder.decode(linkType, buf, 7, frame.length, out)).isEqualTo(LinkDecoder.Status.OK);
        assertThat(out.etherType).isEqualTo(etherType);
        assertThat(out.netOffset).isEqualTo(7 + netOffset);
        assertThat(out.netLength).isEqualTo(frame.length - netOffset);
        return out;
    }

    @Test
    void ethernet() {
        decodeOk(1, Packets.ethernet(0x0800, IP4), 0x0800, 14);
        decodeOk(1, Packets.ethernet(0x86DD, IP6), 0x86DD, 14);
        decodeOk(1, Packets.ethernet(0x0806, new byte[28]), 0x0806, 14); // ARP: not IP, still OK
    }

    @Test
    void ethernet_8023LengthField_isNotAnEtherType() {
        decodeOk(1, Packets.ethernet(46, new byte[46]), -1, 14);
    }

    @Test
    void vlan8021Q() {
        LinkFrame f = decodeOk(1, Packets.ethernetTagged(new int[][] {{0x8100, 42}}, 0x0800, IP4), 0x0800, 18);
        assertThat(f.vlanTags).isEqualTo(1);
    }

    @Test
    void qinq_8021ad_outerThen8021Q() {
        LinkFrame f = decodeOk(1, Packets.ethernetTagged(new int[][] {{0x88A8, 100}, {0x8100, 42}}, 0x86DD, IP6),
                0x86DD, 22);
        assertThat(f.vlanTags).isEqualTo(2);
    }

    @Test
    void tooManyTags_andCutTag() {
        int[][] nine = new int[9][];
        for (int i = 0; i < 9; i++) {
            nine[i] = new int[] {0x8100, i};
        }
        byte[] f = Packets.ethernetTagged(nine, 0x0800, IP4);
        assertThat(LinkDecoder.decode(1, f, 0, f.length, new LinkFrame()))
                .isEqualTo(LinkDecoder.Status.TOO_MANY_VLAN_TAGS);
        byte[] cut = new byte[16]; // Ethernet header + TPID 0x8100 + 2 bytes: the tag's EtherType is missing
        cut[12] = (byte) 0x81;
        assertThat(LinkDecoder.decode(1, cut, 0, cut.length, new LinkFrame())).isEqualTo(LinkDecoder.Status.TOO_SHORT);
        assertThat(LinkDecoder.decode(1, cut, 0, 13, new LinkFrame())).isEqualTo(LinkDecoder.Status.TOO_SHORT);
    }

    @Test
    void linuxSll() {
        decodeOk(113, Packets.sll(0x0800, IP4), 0x0800, 16);
    }

    @Test
    void linuxSll_vlanTagInTheProtocolField() {
        ByteBuffer h = ByteBuffer.allocate(20 + IP6.length);
        h.putShort((short) 4).putShort((short) 1).putShort((short) 6).put(new byte[8]).putShort((short) 0x8100)
                .putShort((short) 7).putShort((short) 0x86DD).put(IP6);
        decodeOk(113, h.array(), 0x86DD, 20);
    }

    @Test
    void linuxSll2() {
        // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) address length(1) address(8)
        ByteBuffer h = ByteBuffer.allocate(20 + IP6.length);
        h.putShort((short) 0x86DD).putShort((short) 0).putInt(3).putShort((short) 772).put((byte) 0).put((byte) 6)
                .put(new byte[8]).put(IP6);
        decodeOk(276, h.array(), 0x86DD, 20);
    }

    @Test
    void bsdNull_bothByteOrders() {
        byte[] le = ByteBuffer.allocate(4 + IP4.length).order(ByteOrder.LITTLE_ENDIAN).putInt(2).put(IP4).array();
        decodeOk(0, le, 0x0800, 4);
        byte[] be = ByteBuffer.allocate(4 + IP4.length).order(ByteOrder.BIG_ENDIAN).putInt(2).put(IP4).array();
        decodeOk(0, be, 0x0800, 4);
        for (int af6 : new int[] {24, 28, 30}) { // NetBSD/OpenBSD, FreeBSD, Darwin
            decodeOk(0, ByteBuffer.allocate(4 + IP6.length).order(ByteOrder.LITTLE_ENDIAN).putInt(af6).put(IP6).array(),
                    0x86DD, 4);
            decodeOk(0, ByteBuffer.allocate(4 + IP6.length).order(ByteOrder.BIG_ENDIAN).putInt(af6).put(IP6).array(),
                    0x86DD, 4);
        }
    }

    @Test
    void loop_networkByteOrder() {
        decodeOk(108, ByteBuffer.allocate(4 + IP4.length).putInt(2).put(IP4).array(), 0x0800, 4);
        decodeOk(108, ByteBuffer.allocate(4 + IP6.length).putInt(24).put(IP6).array(), 0x86DD, 4);
    }

    @Test
    void rawIp_andIpv4_andIpv6LinkTypes() {
        decodeOk(101, IP4, 0x0800, 0);
        decodeOk(101, IP6, 0x86DD, 0);
        decodeOk(228, IP4, 0x0800, 0);
        decodeOk(229, IP6, 0x86DD, 0);
    }

    @Test
    void unknownLinkType_isCountedInTheSummaryAndReported() throws Exception {
        byte[] file = CaptureBytes.Pcap.micro(147).record(1, 0, IP4).record(2, 0, IP4).bytes(); // 147: USER0
        List<String> reasons = new ArrayList<>();
        try (CaptureReader r = Captures.open(new java.io.ByteArrayInputStream(file),
                org.iotpcap.bytes.Diagnostics.IGNORE, Limits.DEFAULTS)) {
            Summary s = Engine.builder().diagnostics((frame, layer, reason, detail) -> reasons.add(reason + " " + detail))
                    .build().run(r);
            assertThat(s.unknownLinkTypeFrames).isEqualTo(2);
            assertThat(s.ipv4Packets).isZero();
        }
        assertThat(reasons).hasSize(2).allMatch(x -> x.startsWith("unknown_link_type") && x.contains("147"));
    }

    @Test
    void everyLinkType_throughTheEngine_reachesUdp() throws Exception {
        Object[][] cases = {
            {1, Packets.ethernetTagged(new int[][] {{0x88A8, 1}, {0x8100, 2}}, 0x0800, IP4)},
            {113, Packets.sll(0x0800, IP4)}, {276, Packets.sll2(0x0800, 1, IP4)},
            {0, ByteBuffer.allocate(4 + IP4.length).order(ByteOrder.LITTLE_ENDIAN).putInt(2).put(IP4).array()},
            {108, ByteBuffer.allocate(4 + IP4.length).putInt(2).put(IP4).array()},
            {101, IP6}, {228, IP4}, {229, IP6},
        };
        for (Object[] c : cases) {
            byte[] file = CaptureBytes.Pcap.micro((int) c[0]).record(1, 0, (byte[]) c[1]).bytes();
            try (CaptureReader r = Captures.open(new java.io.ByteArrayInputStream(file),
                    org.iotpcap.bytes.Diagnostics.IGNORE, Limits.DEFAULTS)) {
                Summary s = Engine.builder().build().run(r);
                assertThat(s.udpDatagrams).as("link type " + c[0]).isEqualTo(1);
                assertThat(s.malformedTotal()).as("link type " + c[0]).isZero();
            }
        }
    }
}
