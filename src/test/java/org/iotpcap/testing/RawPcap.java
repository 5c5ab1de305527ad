package org.iotpcap.testing;

import static org.iotpcap.testing.Packets.ACK;
import static org.iotpcap.testing.Packets.FIN;
import static org.iotpcap.testing.Packets.PSH;
import static org.iotpcap.testing.Packets.RST;
import static org.iotpcap.testing.Packets.SYN;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only: records a conversation of UDP datagrams and TCP segments (with their sequence numbers kept) and
 * writes it as a libpcap file of link type 101 (raw IP). The headers come from {@link Packets} (IPv4 or IPv6 by
 * the addresses, correct checksums), the file from {@link CaptureBytes}, so tshark reads the same file as
 * iotpcap. Frame n (from 1) is stamped at 1_000_000 + n milliseconds after the epoch.
 */
public final class RawPcap {
    private final List<byte[]> packets = new ArrayList<>();
    private int ipId = 1;

    /** The number of the next frame (1-based). */
    public int nextFrame() {
        return packets.size() + 1;
    }

    public RawPcap udp(String src, int srcPort, String dst, int dstPort, byte[] payload) {
        packets.add(ip(src, dst, Packets.UDP, Packets.udp(src, dst, srcPort, dstPort, payload)));
        return this;
    }

    /** A TCP connection between a client and a server endpoint; segments are appended in call order. */
    public Tcp tcp(String client, int clientPort, String server, int serverPort) {
        return new Tcp(client, clientPort, server, serverPort);
    }

    public final class Tcp {
        private final String client;
        private final int clientPort;
        private final String server;
        private final int serverPort;
        private long clientSeq = 1000;
        private long serverSeq = 5000;

        private Tcp(String client, int clientPort, String server, int serverPort) {
            this.client = client;
            this.clientPort = clientPort;
            this.server = server;
            this.serverPort = serverPort;
        }

        /** SYN, SYN-ACK, ACK. */
        public Tcp handshake() {
            segment(true, SYN, new byte[0]);
            clientSeq++;
            segment(false, SYN | ACK, new byte[0]);
            serverSeq++;
            segment(true, ACK, new byte[0]);
            return this;
        }

        public Tcp client(byte[] data) {
            segment(true, PSH | ACK, data);
            clientSeq += data.length;
            return this;
        }

        public Tcp server(byte[] data) {
            segment(false, PSH | ACK, data);
            serverSeq += data.length;
            return this;
        }

        /** The same bytes again at the sequence number they were first sent with (a retransmission). */
        public Tcp clientRetransmit(byte[] data) {
            clientSeq -= data.length;
            return client(data);
        }

        public Tcp fin(boolean fromClient) {
            segment(fromClient, FIN | ACK, new byte[0]);
            if (fromClient) {
                clientSeq++;
            } else {
                serverSeq++;
            }
            return this;
        }

        /** FIN from the client, FIN from the server, last ACK. */
        public Tcp close() {
            fin(true);
            fin(false);
            segment(true, ACK, new byte[0]);
            return this;
        }

        public Tcp rst(boolean fromClient) {
            segment(fromClient, RST | ACK, new byte[0]);
            return this;
        }

        private void segment(boolean fromClient, int flags, byte[] data) {
            String src = fromClient ? client : server;
            String dst = fromClient ? server : client;
            long seq = fromClient ? clientSeq : serverSeq;
            long ack = (flags & ACK) != 0 ? (fromClient ? serverSeq : clientSeq) : 0;
            packets.add(ip(src, dst, Packets.TCP, Packets.tcp(src, dst, fromClient ? clientPort : serverPort,
                    fromClient ? serverPort : clientPort, seq, ack, flags, data)));
        }
    }

    public void write(Path file) throws IOException {
        CaptureBytes.Pcap pcap = new CaptureBytes.Pcap(ByteOrder.LITTLE_ENDIAN, CaptureBytes.MAGIC_MICRO, 101, 65535);
        long ms = 1_000_000;
        for (byte[] p : packets) {
            ms++;
            pcap.record(ms / 1000, ms % 1000 * 1000, p);
        }
        Files.write(file, pcap.bytes());
    }

    /** IPv4 (identification counting from 1, Don't Fragment) or IPv6, by the address literals. */
    private byte[] ip(String src, String dst, int protocol, byte[] payload) {
        if (src.contains(":")) {
            return Packets.ipv6(src, dst, protocol, payload);
        }
        return Packets.ipv4(src, dst, protocol, ipId++, 0x4000, new byte[0], payload);
    }
}
