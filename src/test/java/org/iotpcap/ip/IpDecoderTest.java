package org.iotpcap.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.testing.Packets.concat;
import static org.iotpcap.testing.Packets.ipv4;
import static org.iotpcap.testing.Packets.ipv6;
import static org.iotpcap.testing.Packets.ipv6Fragment;
import static org.iotpcap.testing.Packets.ipv6Options;
import static org.iotpcap.testing.Packets.udp;

import java.util.Arrays;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.Test;

/** IPv4 (RFC 791) and IPv6 (RFC 8200) headers laid out in the test. */
class IpDecoderTest {
    private static final int V4 = 0x0800;
    private static final int V6 = 0x86DD;
    private static final byte[] UDP = udp(1000, 2000, new byte[] {'h', 'i'});

    private static IpPacket decode(int etherType, byte[] b, String expectedError) {
        IpPacket p = new IpPacket();
        assertThat(IpDecoder.decode(etherType, b, 0, b.length, p)).isEqualTo(expectedError);
        return p;
    }

    @Test
    void ipv4_withOptions_payloadStartsAfterIhl() {
        byte[] options = {(byte) 0x94, 4, 0, 0, 1, 0, 0, 0}; // Router Alert (4 bytes), NOP, EOL padding
        byte[] pkt = ipv4("192.0.2.1", "198.51.100.7", 17, 0x1234, 0, options, UDP);
        IpPacket p = decode(V4, pkt, null);
        assertThat(p.version).isEqualTo(4);
        assertThat(p.protocol).isEqualTo(17);
        assertThat(p.ttl).isEqualTo(64);
        assertThat(p.identification).isEqualTo(0x1234);
        assertThat(p.src().toString()).isEqualTo("192.0.2.1");
        assertThat(p.dst().toString()).isEqualTo("198.51.100.7");
        assertThat(p.payloadOffset).isEqualTo(28);
        assertThat(Arrays.copyOfRange(p.payload, p.payloadOffset, p.payloadOffset + p.payloadLength)).isEqualTo(UDP);
        assertThat(p.fragment).isFalse();
        assertThat(p.truncated).isFalse();
    }

    @Test
    void ipv4_linkPaddingBeyondTotalLength_isDropped() {
        byte[] padded = Arrays.copyOf(ipv4("192.0.2.1", "192.0.2.2", 17, UDP), 46); // Ethernet minimum payload
        IpPacket p = decode(V4, padded, null);
        assertThat(p.payloadLength).isEqualTo(UDP.length);
    }

    @Test
    void ipv4_cutBySnapLength_isTruncated() {
        byte[] pkt = ipv4("192.0.2.1", "192.0.2.2", 17, UDP);
        IpPacket p = decode(V4, Arrays.copyOf(pkt, pkt.length - 3), null);
        assertThat(p.truncated).isTrue();
        assertThat(p.payloadLength).isEqualTo(UDP.length - 3);
        assertThat(p.declaredLength).isEqualTo(pkt.length);
    }

    @Test
    void ipv4_fragmentFields() {
        IpPacket p = decode(V4, ipv4("192.0.2.1", "192.0.2.2", 17, 7, 0x2000 | 185, new byte[0], new byte[16]), null);
        assertThat(p.fragment).isTrue();
        assertThat(p.moreFragments).isTrue();
        assertThat(p.fragmentOffset).isEqualTo(1480);
        // DF alone is not a fragment
        assertThat(decode(V4, ipv4("192.0.2.1", "192.0.2.2", 17, 7, 0x4000, new byte[0], UDP), null).fragment).isFalse();
    }

    @Test
    void ipv4_malformed() {
        byte[] ok = ipv4("192.0.2.1", "192.0.2.2", 17, UDP);
        decode(V4, Arrays.copyOf(ok, 19), "ipv4_too_short");
        byte[] v5 = ok.clone();
        v5[0] = 0x55;
        decode(V4, v5, "ipv4_bad_version");
        byte[] ihl4 = ok.clone();
        ihl4[0] = 0x44;
        decode(V4, ihl4, "ipv4_bad_header_length");
        byte[] ihl15 = ok.clone();
        ihl15[0] = 0x4f; // 60-byte header in a 30-byte packet
        decode(V4, ihl15, "ipv4_header_cut");
        byte[] total10 = ok.clone();
        total10[2] = 0;
        total10[3] = 10;
        decode(V4, total10, "ipv4_bad_total_length");
    }

    @Test
    void ipv6_hopByHop_destinationOptions_fragment_walkedToTheFragmentData() {
        byte[] after = concat(ipv6Options(60, 0), ipv6Options(44, 1), ipv6Fragment(17, 1232, true, 0xdeadbeef),
                new byte[24]);
        IpPacket p = decode(V6, ipv6("2001:db8::1", "2001:db8::2", 0, after), null);
        assertThat(p.version).isEqualTo(6);
        assertThat(p.fragment).isTrue();
        assertThat(p.moreFragments).isTrue();
        assertThat(p.fragmentOffset).isEqualTo(1232);
        assertThat(p.identification).isEqualTo(0xdeadbeefL);
        assertThat(p.protocol).isEqualTo(17);
        assertThat(p.payloadOffset).isEqualTo(40 + 8 + 16 + 8);
        assertThat(p.payloadLength).isEqualTo(24);
        assertThat(p.src().toString()).isEqualTo("2001:db8::1");
    }

    @Test
    void ipv6_extensionHeadersWithoutFragment_reachUdp() {
        byte[] after = concat(ipv6Options(60, 0), ipv6Options(17, 2), UDP);
        IpPacket p = decode(V6, ipv6("2001:db8::1", "2001:db8::2", 0, after), null);
        assertThat(p.fragment).isFalse();
        assertThat(p.protocol).isEqualTo(17);
        assertThat(p.payloadOffset).isEqualTo(40 + 8 + 24);
        assertThat(p.payloadLength).isEqualTo(UDP.length);
    }

    @Test
    void ipv6_atomicFragment_isAWholeDatagram() {
        byte[] after = concat(ipv6Fragment(17, 0, false, 5), UDP);
        IpPacket p = decode(V6, ipv6("2001:db8::1", "2001:db8::2", 44, after), null);
        assertThat(p.fragment).isFalse();
        assertThat(p.protocol).isEqualTo(17);
        assertThat(p.payloadLength).isEqualTo(UDP.length);
    }

    @Test
    void ipv6_malformed() {
        byte[] ok = ipv6("2001:db8::1", "2001:db8::2", 17, UDP);
        decode(V6, Arrays.copyOf(ok, 39), "ipv6_too_short");
        byte[] v4 = ok.clone();
        v4[0] = 0x40;
        decode(V6, v4, "ipv6_bad_version");
        // a hop-by-hop header claiming 16 bytes with 8 present
        decode(V6, ipv6("2001:db8::1", "2001:db8::2", 0, concat(new byte[] {17, 1, 1, 4}, new byte[4])),
                "ipv6_extension_header_cut");
        IpPacket cut = decode(V6, Arrays.copyOf(ok, ok.length - 1), null);
        assertThat(cut.truncated).isTrue();
    }

    @Test
    void ipv6_textFollowsRfc5952() {
        assertThat(decode(V6, ipv6("2001:db8:0:0:1:0:0:1", "::ffff:192.0.2.1", 17, UDP), null).src().toString())
                .isEqualTo("2001:db8::1:0:0:1");
        assertThat(decode(V6, ipv6("fe80::1", "2001:0:0:1::", Packets.UDP, UDP), null).dst().toString())
                .isEqualTo("2001:0:0:1::");
    }
}
