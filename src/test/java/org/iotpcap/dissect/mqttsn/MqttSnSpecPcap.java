package org.iotpcap.dissect.mqttsn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.iotpcap.testing.Packets;
import org.iotpcap.testing.RawPcap;

/**
 * Test-only: a libpcap file ({@link RawPcap}: link type 101, raw IPv4) of MQTT-SN v1.2 datagrams written by hand from the
 * spec: one of every message type, both Length forms, a Forwarder Encapsulation, two messages in one
 * datagram, and a few broken ones. tshark decodes the file independently of us.
 * Even datagrams go client:40000 to gateway:1885, odd ones back, so both directions are exercised.
 */
final class MqttSnSpecPcap {
    private MqttSnSpecPcap() {}

    private static final int FLAGS_QOS1 = 0x20;

    /** The datagrams, frame 1 first. Field comments: name (value). */
    static final List<byte[]> DATAGRAMS = List.of(
            b(0x05, 0x00, /* ADVERTISE */ 0x2A /* GwId 42 */, 0x03, 0x84 /* Duration 900 */),
            b(0x03, 0x01, /* SEARCHGW */ 0x01 /* Radius 1 */),
            b(0x03, 0x02, /* GWINFO */ 0x2A /* GwId 42, no GwAdd (from a gateway) */),
            b(0x06, 0x02, /* GWINFO */ 0x2A /* GwId */, 'g', 'w', '1' /* GwAdd "gw1" (from a client) */),
            b(0x0D, 0x04, /* CONNECT */ 0x0C /* Will + CleanSession */, 0x01 /* ProtocolId */,
                    0x00, 0x3C /* Duration 60 */, 'c', 'l', 'i', 'e', 'n', 't', '1' /* ClientId */),
            b(0x03, 0x05, /* CONNACK */ 0x00 /* Accepted */),
            b(0x02, 0x06 /* WILLTOPICREQ */),
            b(0x09, 0x07, /* WILLTOPIC */ 0x30 /* QoS 1 + Retain */, 'w', 'i', 'l', 'l', '/', 't'),
            b(0x02, 0x07 /* WILLTOPIC, empty form: deletes the Will (5.4.8) */),
            b(0x02, 0x08 /* WILLMSGREQ */),
            b(0x09, 0x09, /* WILLMSG */ 'o', 'f', 'f', 'l', 'i', 'n', 'e'),
            b(0x0F, 0x0A, /* REGISTER */ 0x00, 0x00 /* TopicId 0 */, 0x00, 0x01 /* MsgId 1 */,
                    's', 'e', 'n', 's', 'o', 'r', 's', '/', 't' /* TopicName */),
            b(0x07, 0x0B, /* REGACK */ 0x00, 0x0A /* TopicId 10 */, 0x00, 0x01 /* MsgId 1 */, 0x00 /* Accepted */),
            b(0x0C, 0x0C, /* PUBLISH */ FLAGS_QOS1 /* QoS 1, normal id */, 0x00, 0x0A /* TopicId 10 */,
                    0x00, 0x02 /* MsgId 2 */, 'h', 'e', 'l', 'l', 'o' /* Data */),
            b(0x0B, 0x0C, /* PUBLISH */ 0xF2 /* DUP + QoS -1 + Retain + short name */, 't', '1' /* "t1" */,
                    0x00, 0x00 /* MsgId 0 */, '2', '2', '.', '5'),
            b(0x07, 0x0D, /* PUBACK */ 0x00, 0x0A /* TopicId */, 0x00, 0x02 /* MsgId */, 0x00 /* Accepted */),
            b(0x04, 0x0E, /* PUBCOMP */ 0x00, 0x03 /* MsgId 3 */),
            b(0x04, 0x0F, /* PUBREC */ 0x00, 0x03),
            b(0x04, 0x10, /* PUBREL */ 0x00, 0x03),
            b(0x0E, 0x12, /* SUBSCRIBE */ FLAGS_QOS1 /* topic name */, 0x00, 0x04 /* MsgId 4 */,
                    's', 'e', 'n', 's', 'o', 'r', 's', '/', '#'),
            b(0x07, 0x12, /* SUBSCRIBE */ 0x01 /* predefined id */, 0x00, 0x05 /* MsgId */, 0x00, 0x07 /* TopicId 7 */),
            b(0x07, 0x12, /* SUBSCRIBE */ 0x02 /* short name */, 0x00, 0x06 /* MsgId */, 't', '2'),
            b(0x08, 0x13, /* SUBACK */ FLAGS_QOS1, 0x00, 0x0B /* TopicId 11 */, 0x00, 0x04 /* MsgId */, 0x00),
            b(0x0E, 0x14, /* UNSUBSCRIBE */ 0x00, 0x00, 0x07 /* MsgId 7 */, 's', 'e', 'n', 's', 'o', 'r', 's', '/', '#'),
            b(0x04, 0x15, /* UNSUBACK */ 0x00, 0x07),
            b(0x02, 0x16 /* PINGREQ */),
            b(0x09, 0x16, /* PINGREQ */ 'c', 'l', 'i', 'e', 'n', 't', '1' /* ClientId of a sleeping client */),
            b(0x02, 0x17 /* PINGRESP */),
            b(0x02, 0x18 /* DISCONNECT */),
            b(0x04, 0x18, /* DISCONNECT */ 0x0E, 0x10 /* Duration 3600 */),
            b(0x0A, 0x1A, /* WILLTOPICUPD */ 0x10 /* Retain */, 'w', 'i', 'l', 'l', '/', 'u', '2'),
            b(0x02, 0x1A /* WILLTOPICUPD, empty form */),
            b(0x03, 0x1B, /* WILLTOPICRESP */ 0x00),
            b(0x05, 0x1C, /* WILLMSGUPD */ 'b', 'y', 'e'),
            b(0x03, 0x1D, /* WILLMSGRESP */ 0x01 /* Rejected: congestion */),
            b(0x03, 0x05, /* CONNACK */ 0x07 /* reserved return code */),
            b(0x04, 0x03, /* reserved MsgType 0x03 */ 0xAB, 0xCD),
            // 5.5 Forwarder Encapsulation: Length 5 ends after the Wireless Node Id; a PUBLISH follows
            b(0x05, 0xFE, 0x01 /* Ctrl: Radius 1 */, 0x00, 0x07 /* Wireless Node Id 7 */,
                    0x0C, 0x0C, FLAGS_QOS1, 0x00, 0x0A, 0x00, 0x02, 'h', 'e', 'l', 'l', 'o'),
            // Wireless Node Id of 3 octets (its length is not fixed by 5.5), then a PINGREQ
            b(0x06, 0xFE, 0x00 /* Ctrl */, 0x01, 0x02, 0x03 /* Wireless Node Id */, 0x02, 0x16),
            // PUBLISH with binary data: 'h', U+00E9 in UTF-8, NUL, 'A'
            b(0x0C, 0x0C, 0x00, 0x00, 0x0A, 0x00, 0x00, 'h', 0xC3, 0xA9, 0x00, 'A'),
            // two messages in one datagram: PUBACK then PINGREQ
            b(0x07, 0x0D, 0x00, 0x0A, 0x00, 0x02, 0x00, 0x02, 0x16),
            // 3-octet Length form: 0x01, Length 0x0109 (265), then a PUBLISH with 256 octets of data
            Packets.concat(b(0x01, 0x01, 0x09, 0x0C, 0x21 /* QoS 1, predefined */, 0x00, 0x05, 0x00, 0x03), repeat('A', 256)),
            b(0x01, 0x00, 0x0B, 0x0C, /* PUBLISH, 3-octet form though short */ 0x00, 0x00, 0x0A, 0x00, 0x00, 'a', 'b'),
            b(0x01, 0x00, 0x04, 0x17 /* PINGRESP, 3-octet form */),
            b(0x01, 0x00, 0x05, 0x05, /* CONNACK, 3-octet form */ 0x02 /* Rejected: invalid topic ID */),
            // broken: Length 10 but 2 octets sent
            b(0x0A, 0x16),
            // broken: 3-octet form with no room for MsgType
            b(0x01, 0x00),
            // broken: PUBACK with Length 5 (needs 7)
            b(0x05, 0x0D, 0x00, 0x0A, 0x00),
            // broken: PUBACK whose Length 32 runs past the 7 octets sent
            b(0x20, 0x0D, 0x00, 0x0A, 0x00, 0x02, 0x00),
            // broken: CONNACK with Length 4 (needs exactly 3)
            b(0x04, 0x05, 0x00, 0x00));

    /** Writes the datagrams to {@code dir/mqttsn-spec.pcap}. */
    static Path write(Path dir) throws IOException {
        RawPcap pcap = new RawPcap();
        int i = 0;
        for (byte[] payload : DATAGRAMS) {
            if (i++ % 2 == 0) {
                pcap.udp("10.0.0.1", 40000, "10.0.0.2", 1885, payload);
            } else {
                pcap.udp("10.0.0.1", 1885, "10.0.0.2", 40000, payload);
            }
        }
        Path p = dir.resolve("mqttsn-spec.pcap");
        pcap.write(p);
        return p;
    }

    static byte[] b(int... v) {
        return Packets.octets(v);
    }

    private static byte[] repeat(int c, int n) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, (byte) c);
        return out;
    }
}
