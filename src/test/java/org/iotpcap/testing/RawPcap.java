package org.iotpcap.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only: writes a libpcap file (link type 101, raw IP) of IPv4 UDP datagrams and TCP segments built by hand,
 * with correct IPv4, UDP and TCP checksums, so tshark reads the same file as iotpcap. Frame n (from 1) is
 * stamped at 1_000_000 + n milliseconds after the epoch.
 */
public final class RawPcap {
    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST = 0x04;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_ACK = 0x10;

    private final List<byte[]> packets = new ArrayList<>();
    private int ipId = 1;

    /** The number of the next frame (1-based). */
    public int nextFrame() {
        return packets.size() + 1;
    }

    public RawPcap udp(String src, int srcPort, String dst, int dstPort, byte[] payload) {
        byte[] udp = new byte[8 + payload.length];
        ByteBuffer b = ByteBuffer.wrap(udp);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) udp.length).putShort((short) 0);
        b.put(payload);
        int sum = checksum(pseudo(src, dst, 17, udp.length), udp);
        b.putShort(6, (short) (sum == 0 ? 0xFFFF : sum));
        packets.add(ipv4(src, dst, 17, udp));
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
            segment(true, TCP_SYN, new byte[0]);
            clientSeq++;
            segment(false, TCP_SYN | TCP_ACK, new byte[0]);
            serverSeq++;
            segment(true, TCP_ACK, new byte[0]);
            return this;
        }

        public Tcp client(byte[] data) {
            segment(true, TCP_PSH | TCP_ACK, data);
            clientSeq += data.length;
            return this;
        }

        public Tcp server(byte[] data) {
            segment(false, TCP_PSH | TCP_ACK, data);
            serverSeq += data.length;
            return this;
        }

        /** The same bytes again at the sequence number they were first sent with (a retransmission). */
        public Tcp clientRetransmit(byte[] data) {
            clientSeq -= data.length;
            return client(data);
        }

        public Tcp fin(boolean fromClient) {
            segment(fromClient, TCP_FIN | TCP_ACK, new byte[0]);
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
            segment(true, TCP_ACK, new byte[0]);
            return this;
        }

        public Tcp rst(boolean fromClient) {
            segment(fromClient, TCP_RST | TCP_ACK, new byte[0]);
            return this;
        }

        private void segment(boolean fromClient, int flags, byte[] data) {
            byte[] tcp = new byte[20 + data.length];
            ByteBuffer b = ByteBuffer.wrap(tcp);
            b.putShort((short) (fromClient ? clientPort : serverPort)).putShort((short) (fromClient ? serverPort : clientPort));
            b.putInt((int) (fromClient ? clientSeq : serverSeq));
            b.putInt((flags & TCP_ACK) != 0 ? (int) (fromClient ? serverSeq : clientSeq) : 0);
            b.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
            b.put(data);
            String src = fromClient ? client : server;
            String dst = fromClient ? server : client;
            b.putShort(16, (short) checksum(pseudo(src, dst, 6, tcp.length), tcp));
            packets.add(ipv4(src, dst, 6, tcp));
        }
    }

    public void write(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.write(h.array());
        long ms = 1_000_000;
        for (byte[] p : packets) {
            ms++;
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt((int) (ms / 1000)).putInt((int) (ms % 1000 * 1000)).putInt(p.length).putInt(p.length);
            out.write(r.array());
            out.write(p);
        }
        Files.write(file, out.toByteArray());
    }

    private byte[] ipv4(String src, String dst, int protocol, byte[] payload) {
        byte[] ip = new byte[20 + payload.length];
        ByteBuffer b = ByteBuffer.wrap(ip);
        b.put((byte) 0x45).put((byte) 0).putShort((short) ip.length).putShort((short) ipId++).putShort((short) 0x4000);
        b.put((byte) 64).put((byte) protocol).putShort((short) 0).put(addr(src)).put(addr(dst));
        b.putShort(10, (short) checksum(new byte[0], java.util.Arrays.copyOf(ip, 20)));
        System.arraycopy(payload, 0, ip, 20, payload.length);
        return ip;
    }

    private static byte[] pseudo(String src, String dst, int protocol, int length) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.put(addr(src)).put(addr(dst)).put((byte) 0).put((byte) protocol).putShort((short) length);
        return b.array();
    }

    private static int checksum(byte[] a, byte[] b) {
        long sum = 0;
        byte[] all = new byte[a.length + b.length + 1];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        for (int i = 0; i + 1 < a.length + b.length + 1; i += 2) {
            sum += ((all[i] & 0xFF) << 8) | (all[i + 1] & 0xFF);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static byte[] addr(String dotted) {
        String[] p = dotted.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("IPv4 only: " + dotted);
        }
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
            a[i] = (byte) Integer.parseInt(p[i]);
        }
        return a;
    }

    /** Bytes from ints and strings, for writing packets inline: {@code bytes(0x10, 0x0C, "MQTT")}. */
    public static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o : parts) {
            if (o instanceof Integer i) {
                out.write(i);
            } else if (o instanceof String s) {
                out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (o instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                throw new IllegalArgumentException(String.valueOf(o));
            }
        }
        return out.toByteArray();
    }
}
