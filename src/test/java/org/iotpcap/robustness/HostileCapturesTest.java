package org.iotpcap.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile captures through the whole pipeline (reader, engine, dissectors, tables), as {@code iotpcap query}
 * loads them: each problem is a row of the {@code malformed} table with its frame, layer and reason, the run
 * goes on (the frames after it are decoded), and nothing escapes as an exception. The decoders' own unit tests
 * check the same inputs message by message (see docs/robustness.md); these check the path to the table.
 */
class HostileCapturesTest {
    @TempDir
    Path tmp;

    private static final byte[] DNS_QUERY = {
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,   // id, RD, QDCOUNT 1
        0x01, 'a', 0x00, 0x00, 0x01, 0x00, 0x01,                                  // a. IN A
    };

    private static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        return Packets.ethernet(0x0800, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.UDP,
                Packets.udp(srcPort, dstPort, payload)));
    }

    private List<String> load(byte[] capture, String sql) throws Exception {
        Path file = tmp.resolve("c" + System.nanoTime() + ".pcap");
        Files.write(file, capture);
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(file.toString(), new CaptureLoader.Options(Bindings.defaults(), false), db);
            List<String> rows = new ArrayList<>();
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        b.append(i > 1 ? " " : "").append(rs.getString(i));
                    }
                    rows.add(b.toString());
                }
            }
            rows.add("frames=" + count(db, "frames") + " dns=" + count(db, "dns_messages")
                    + " coap=" + count(db, "coap_messages") + " mqtt=" + count(db, "mqtt_messages"));
            return rows;
        }
    }

    private static long count(Database db, String table) throws Exception {
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String MALFORMED = "SELECT frame, layer, reason FROM malformed ORDER BY frame, layer, reason";

    @Test
    void pcapngBlockLengthZeroOrHuge_stopsWithOneRow_afterTheFramesBefore() throws Exception {
        for (int length : new int[] {0, 0xFFFF_FFF0}) {
            CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
            ng.interfaceBlock(1).epb(0, 1, udp(5000, 53, DNS_QUERY));
            ng.blockWithLengths(6, new byte[24], length, length);
            // the problem belongs to the block after frame 1, which would have been frame 2
            assertThat(load(ng.bytes(), MALFORMED)).containsExactly("2 capture bad_block_length",
                    "frames=1 dns=1 coap=0 mqtt=0");
        }
    }

    @Test
    void capturedLengthAboveTheSnapLength_isReported_andTheFrameKept() throws Exception {
        byte[] frame = udp(5000, 53, DNS_QUERY);
        byte[] pcap = new CaptureBytes.Pcap(ByteOrder.LITTLE_ENDIAN, CaptureBytes.MAGIC_MICRO, 1, 40)
                .record(1, 0, frame).record(2, 0, frame).bytes();
        assertThat(load(pcap, MALFORMED)).containsExactly("1 capture captured_above_snap_length",
                "2 capture captured_above_snap_length", "frames=2 dns=2 coap=0 mqtt=0");

        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1, 40).epb(0, 1, frame);
        assertThat(load(ng.bytes(), MALFORMED)).containsExactly("1 capture captured_above_snap_length",
                "frames=1 dns=1 coap=0 mqtt=0");
    }

    @Test
    void packetOfAnInterfaceNeverDescribed_isReported_andTheNextFrameDecoded() throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1).epb(3, 1, udp(5000, 53, DNS_QUERY)).epb(0, 2, udp(5000, 53, DNS_QUERY));
        assertThat(load(ng.bytes(), MALFORMED)).containsExactly("1 capture undescribed_interface",
                "1 link unknown_link_type", "frames=2 dns=1 coap=0 mqtt=0");
    }

    @Test
    void unknownLinkType_isReportedPerFrame() throws Exception {
        byte[] pcap = CaptureBytes.Pcap.micro(147).record(1, 0, DNS_QUERY).record(2, 0, DNS_QUERY).bytes();
        assertThat(load(pcap, MALFORMED)).containsExactly("1 link unknown_link_type", "2 link unknown_link_type",
                "frames=2 dns=0 coap=0 mqtt=0");
    }

    @Test
    void coapOptionNibble15_andThousandsOfOptions_areMalformedRows_andTheNextMessageDecodes() throws Exception {
        byte[] thousands = new byte[4 + 3000];   // 3000 zero octets after the header: 3000 empty options
        thousands[0] = 0x40;
        thousands[1] = 0x01;
        byte[] delta15 = {0x40, 0x01, 0x00, 0x02, (byte) 0xF1, 0x00};     // delta 15 without the 0xFF marker
        byte[] length15 = {0x40, 0x01, 0x00, 0x03, 0x1F, 0x00};           // length nibble 15
        byte[] get = {0x40, 0x01, 0x00, 0x04, (byte) 0xB4, 't', 'e', 'm', 'p'}; // GET /temp
        byte[] pcap = CaptureBytes.Pcap.micro(1).record(1, 0, udp(40000, 5683, thousands))
                .record(2, 0, udp(40000, 5683, delta15)).record(3, 0, udp(40000, 5683, length15))
                .record(4, 0, udp(40000, 5683, get)).bytes();
        assertThat(load(pcap, MALFORMED)).containsExactly("1 coap too_many_options", "2 coap option_delta_reserved",
                "3 coap option_length_reserved", "frames=4 dns=0 coap=1 mqtt=0");
    }

    @Test
    void dnsCompressionLoop_andOverlongName_areMalformedRows() throws Exception {
        byte[] loop = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            (byte) 0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01};                   // the name points at itself
        ByteBuffer longName = ByteBuffer.allocate(12 + 130 * 2 + 1 + 4);
        longName.put(new byte[] {0x12, 0x35, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0});
        for (int i = 0; i < 130; i++) {
            longName.put((byte) 1).put((byte) 'a');                        // 261 octets: over 255 (RFC 1035 3.1)
        }
        longName.put((byte) 0).putShort((short) 1).putShort((short) 1);
        byte[] pcap = CaptureBytes.Pcap.micro(1).record(1, 0, udp(5000, 53, loop))
                .record(2, 0, udp(5000, 53, longName.array())).record(3, 0, udp(5000, 53, DNS_QUERY)).bytes();
        assertThat(load(pcap, MALFORMED)).containsExactly("1 dns pointer_loop", "2 dns name_too_long",
                "frames=3 dns=1 coap=0 mqtt=0");
    }

    @Test
    void mqttFieldBeyondThePacket_andFiveByteRemainingLength_areMalformedRows_andTheRunGoesOn() throws Exception {
        byte[] connect = {0x10, 0x0e, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c, 0x00, 0x02, 'i', 'd'};
        byte[] badTopic = {0x30, 0x05, 0x00, 0x09, 'a', '/', 'b'};         // topic length 9, 3 bytes left
        byte[] ping = {(byte) 0xc0, 0x00};
        byte[] fiveBytes = {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        CaptureBytes.Pcap p = CaptureBytes.Pcap.micro(1);
        int f = 0;
        // connection 1: handshake, CONNECT, a PUBLISH whose topic runs past the packet, PINGREQ
        p.record(++f, 0, Packets.ethTcp("10.0.0.1", 40000, "10.0.0.2", 1883, 100, 0, Packets.SYN, new byte[0]));
        p.record(++f, 0, Packets.ethTcp("10.0.0.2", 1883, "10.0.0.1", 40000, 900, 101, Packets.SYN | Packets.ACK, new byte[0]));
        long seq = 101;
        for (byte[] m : new byte[][] {connect, badTopic, ping}) {
            p.record(++f, 0, Packets.ethTcp("10.0.0.1", 40000, "10.0.0.2", 1883, seq, 901, Packets.ACK | Packets.PSH, m));
            seq += m.length;
        }
        // connection 2: a Remaining Length with a continuation bit on its 4th byte
        p.record(++f, 0, Packets.ethTcp("10.0.0.3", 40001, "10.0.0.2", 1883, 500, 0, Packets.SYN, new byte[0]));
        p.record(++f, 0, Packets.ethTcp("10.0.0.2", 1883, "10.0.0.3", 40001, 700, 501, Packets.SYN | Packets.ACK, new byte[0]));
        p.record(++f, 0, Packets.ethTcp("10.0.0.3", 40001, "10.0.0.2", 1883, 501, 701, Packets.ACK | Packets.PSH, connect));
        p.record(++f, 0, Packets.ethTcp("10.0.0.3", 40001, "10.0.0.2", 1883, 501 + connect.length, 701,
                Packets.ACK | Packets.PSH, fiveBytes));
        assertThat(load(p.bytes(), MALFORMED)).containsExactly("4 mqtt field_overruns_packet",
                "9 mqtt bad_remaining_length", "frames=9 dns=0 coap=0 mqtt=3");
    }
}
