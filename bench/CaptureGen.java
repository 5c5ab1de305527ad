import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Benchmark capture generator: the fixture captures multiplied into a large pcapng, deterministically.
 *
 * <pre>
 *   java bench/CaptureGen.java --bytes 1G --out /tmp/big.pcapng [--background 40] [--concurrent 8] FIXTURE.pcapng...
 *   java bench/CaptureGen.java --bytes 10G --out - FIXTURE.pcapng...      (a stream to standard output)
 * </pre>
 *
 * <p>One <em>copy</em> is every packet of the given (Ethernet) fixtures, in order, followed by synthetic
 * background traffic (one bulk TCP connection to port 8443 of {@code --background} full-size segments, with
 * its handshake, acknowledgements and FINs, and as many 200-byte UDP datagrams to port 9999). Copy {@code c}
 * moves every client-side address to its own address, so TCP connections, UDP flows, CoAP requests and MQTT
 * clients of different copies stay distinct while the servers (and so the DNS answers naming them) stay put:
 * <ul>
 *   <li>loopback 127.a.b.k becomes 127.x.y.z with (x,y,z) = (c mod 2^21) &lt;&lt; 3 | k (still local);</li>
 *   <li>the capture host's public addresses (192.0.2.1, 198.51.100.1, 203.0.113.1, the segment client
 *       192.0.2.61) become addresses in 100.64.0.0/10; 2001:db8::1 becomes 2001:db8:0:0:c::1;</li>
 *   <li>::1 cannot move and stay local: there the non-server ports move instead (10000 + (64 p + c) mod 50000),
 *       and TCP sequence numbers shift by c * 0x01000193.</li>
 * </ul>
 * IPv4 header, TCP, UDP and ICMPv6 checksums are recomputed. {@code --concurrent} copies run interleaved
 * (packet i of each copy in turn), so that many connections are open at once. Timestamps are synthetic:
 * 10 microseconds apart in output order (the fixtures' packet order is kept, their time gaps are not).
 * Output is one section with one Ethernet interface; it stops after the first batch of copies that reaches
 * {@code --bytes}, so a smaller size gives a prefix of a larger one.
 */
public final class CaptureGen {
    static final Set<Integer> SERVICE_PORTS = Set.of(53, 1883, 1885, 1886, 5683, 5684, 5699, 8883);
    static final int[] HOST_V4 = {ip(192, 0, 2, 1), ip(198, 51, 100, 1), ip(203, 0, 113, 1), ip(192, 0, 2, 61)};

    record Pkt(byte[] data) {}

    public static void main(String[] args) throws IOException {
        long bytes = 64L << 20;
        String out = "-";
        int background = 40;
        int concurrent = 8;
        List<Path> fixtures = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bytes" -> bytes = size(args[++i]);
                case "--out" -> out = args[++i];
                case "--background" -> background = Integer.parseInt(args[++i]);
                case "--concurrent" -> concurrent = Integer.parseInt(args[++i]);
                default -> fixtures.add(Path.of(args[i]));
            }
        }
        List<Pkt> template = new ArrayList<>();
        for (Path f : fixtures) {
            template.addAll(readPcapng(f));
        }
        if (template.isEmpty()) {
            System.err.println("usage: CaptureGen --bytes N[K|M|G] --out FILE|- FIXTURE.pcapng...");
            System.exit(2);
        }
        OutputStream os = out.equals("-") ? System.out : new FileOutputStream(out);
        try (OutputStream o = new BufferedOutputStream(os, 1 << 20)) {
            new CaptureGen(template, background, concurrent).write(o, bytes);
        }
    }

    final List<Pkt> template;
    final int background;
    final int concurrent;
    long written;
    long tsMicros = 1_700_000_000_000_000L;
    final byte[] block = new byte[70000];

    CaptureGen(List<Pkt> template, int background, int concurrent) {
        this.template = template;
        this.background = background;
        this.concurrent = concurrent;
    }

    void write(OutputStream o, long target) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(28 + 20).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0)
                .putLong(-1).putInt(28);
        h.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(262144).putInt(20);
        o.write(h.array());
        written = h.capacity();
        List<byte[]> bg = backgroundTemplate();
        int perCopy = template.size() + bg.size();
        long batch = 0;
        for (; written < target; batch++) {
            for (int i = 0; i < perCopy; i++) {
                for (int j = 0; j < concurrent; j++) {
                    long c = batch * concurrent + j;
                    byte[] src = i < template.size() ? template.get(i).data() : bg.get(i - template.size());
                    emit(o, src, c);
                }
            }
        }
        System.err.println("copies=" + batch * concurrent + " frames=" + batch * concurrent * perCopy + " bytes=" + written);
    }

    void emit(OutputStream o, byte[] src, long copy) throws IOException {
        int n = src.length;
        int pad = (4 - (n & 3)) & 3;
        int blockLen = 32 + n + pad;
        ByteBuffer b = ByteBuffer.wrap(block, 0, blockLen).order(ByteOrder.LITTLE_ENDIAN);
        tsMicros += 10;
        b.putInt(6).putInt(blockLen).putInt(0).putInt((int) (tsMicros >>> 32)).putInt((int) tsMicros).putInt(n).putInt(n);
        System.arraycopy(src, 0, block, 28, n);
        rewrite(block, 28, n, copy);
        for (int k = 0; k < pad; k++) {
            block[28 + n + k] = 0;
        }
        ByteBuffer.wrap(block, 28 + n + pad, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(blockLen);
        o.write(block, 0, blockLen);
        written += blockLen;
    }

    // ---- rewriting ----

    static void rewrite(byte[] f, int off, int len, long copy) {
        int p = off + 12;
        int etype = u16(f, p);
        p += 2;
        while ((etype == 0x8100 || etype == 0x88a8) && p + 4 <= off + len) {
            etype = u16(f, p + 2);
            p += 4;
        }
        int end = off + len;
        if (etype == 0x0800 && p + 20 <= end) {
            int ihl = (f[p] & 0x0f) * 4;
            int total = Math.min(u16(f, p + 2), end - p);
            int proto = f[p + 9] & 0xff;
            boolean firstFragment = (u16(f, p + 6) & 0x1fff) == 0;
            mapV4(f, p + 12, copy);
            mapV4(f, p + 16, copy);
            put16(f, p + 10, 0);
            put16(f, p + 10, ~sum(f, p, ihl, 0) & 0xffff);
            if (firstFragment && (u16(f, p + 6) & 0x2000) == 0 && total > ihl) {
                long pseudo = sum16(f, p + 12, 8) + proto + (total - ihl);
                transport(f, p + ihl, total - ihl, proto, pseudo);
            }
        } else if (etype == 0x86dd && p + 40 <= end) {
            int payload = Math.min(u16(f, p + 4), end - p - 40);
            int nh = f[p + 6] & 0xff;
            boolean ports = isV6Loopback(f, p + 8) && isV6Loopback(f, p + 24);
            mapV6(f, p + 8, copy);
            mapV6(f, p + 24, copy);
            if (nh == 6 || nh == 17 || nh == 58) {
                if (ports && nh != 58 && payload >= 4) {
                    movePort(f, p + 40, copy);
                    movePort(f, p + 42, copy);
                    if (nh == 6 && payload >= 12) { // a new initial sequence number per copy as well
                        put32(f, p + 44, i32(f, p + 44) + (int) (copy * 0x01000193L));
                        put32(f, p + 48, i32(f, p + 48) + (int) (copy * 0x01000193L));
                    }
                }
                long pseudo = sum16(f, p + 8, 32) + nh + payload;
                transport(f, p + 40, payload, nh, pseudo);
            }
        }
    }

    static void transport(byte[] f, int t, int len, int proto, long pseudo) {
        int ck = switch (proto) {
            case 6 -> 16;
            case 17 -> 6;
            case 58 -> 2;
            default -> -1;
        };
        if (ck < 0 || len < ck + 2) {
            return;
        }
        put16(f, t + ck, 0);
        int c = ~sum(f, t, len, pseudo) & 0xffff;
        if (proto == 17 && c == 0) {
            c = 0xffff;
        }
        put16(f, t + ck, c);
    }

    static void mapV4(byte[] f, int at, long copy) {
        int a = i32(f, at);
        int m;
        if ((a >>> 24) == 127) {
            m = 127 << 24 | (int) ((copy & ((1 << 21) - 1)) << 3) | (a & 7);
        } else {
            int h = -1;
            for (int i = 0; i < HOST_V4.length; i++) {
                if (HOST_V4[i] == a) {
                    h = i;
                }
            }
            if (h < 0) {
                return;
            }
            m = ip(100, 64, 0, 0) | (int) ((copy * HOST_V4.length + h) & ((1 << 22) - 1));
        }
        f[at] = (byte) (m >>> 24);
        f[at + 1] = (byte) (m >>> 16);
        f[at + 2] = (byte) (m >>> 8);
        f[at + 3] = (byte) m;
    }

    static void mapV6(byte[] f, int at, long copy) {
        // 2001:db8::1 -> 2001:db8:0:0:<copy>::1
        if (u16(f, at) == 0x2001 && u16(f, at + 2) == 0x0db8 && allZero(f, at + 4, 11) && f[at + 15] == 1) {
            f[at + 8] = (byte) (copy >>> 24);
            f[at + 9] = (byte) (copy >>> 16);
            f[at + 10] = (byte) (copy >>> 8);
            f[at + 11] = (byte) copy;
        }
    }

    static boolean isV6Loopback(byte[] f, int at) {
        return allZero(f, at, 15) && f[at + 15] == 1;
    }

    static void movePort(byte[] f, int at, long copy) {
        int port = u16(f, at);
        if (!SERVICE_PORTS.contains(port)) {
            put16(f, at, 10000 + (int) ((port * 64L + copy) % 50000));
        }
    }

    // ---- background traffic (one copy's worth, addresses of copy 0; rewritten like the rest) ----

    List<byte[]> backgroundTemplate() {
        List<byte[]> out = new ArrayList<>();
        int client = HOST_V4[0];
        int server = ip(198, 18, 0, 10);
        int cport = 47000;
        int sport = 8443;
        long cseq = 0x10000000L;
        long sseq = 0x20000000L;
        java.util.Random rnd = new java.util.Random(42);
        out.add(tcp(client, cport, server, sport, cseq, 0, 0x02, new byte[0]));
        out.add(tcp(server, sport, client, cport, sseq, cseq + 1, 0x12, new byte[0]));
        out.add(tcp(client, cport, server, sport, cseq + 1, sseq + 1, 0x10, new byte[0]));
        cseq++;
        sseq++;
        for (int i = 0; i < background; i++) {
            byte[] data = new byte[1448];
            rnd.nextBytes(data);
            data[0] = 0x17; // looks like a TLS record, not an MQTT CONNECT
            out.add(tcp(server, sport, client, cport, sseq, cseq, 0x18, data));
            sseq += data.length;
            if (i % 2 == 1) {
                out.add(tcp(client, cport, server, sport, cseq, sseq, 0x10, new byte[0]));
            }
            byte[] dgram = new byte[200];
            rnd.nextBytes(dgram);
            out.add(udp(client, 40000 + (i & 7), ip(198, 18, 0, 11), 9999, dgram));
        }
        out.add(tcp(client, cport, server, sport, cseq, sseq, 0x11, new byte[0]));
        out.add(tcp(server, sport, client, cport, sseq, cseq + 1, 0x11, new byte[0]));
        out.add(tcp(client, cport, server, sport, cseq + 1, sseq + 1, 0x10, new byte[0]));
        return out;
    }

    static byte[] tcp(int src, int sp, int dst, int dp, long seq, long ack, int flags, byte[] data) {
        byte[] seg = new byte[20 + data.length];
        ByteBuffer b = ByteBuffer.wrap(seg);
        b.putShort((short) sp).putShort((short) dp).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 64240).putInt(0);
        b.put(data);
        return ipv4(src, dst, 6, seg);
    }

    static byte[] udp(int src, int sp, int dst, int dp, byte[] data) {
        byte[] d = new byte[8 + data.length];
        ByteBuffer.wrap(d).putShort((short) sp).putShort((short) dp).putShort((short) d.length).putShort((short) 0)
                .put(data);
        return ipv4(src, dst, 17, d);
    }

    static byte[] ipv4(int src, int dst, int proto, byte[] payload) {
        byte[] f = new byte[14 + 20 + payload.length];
        ByteBuffer b = ByteBuffer.wrap(f);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putInt(0x40000000)
                .put((byte) 64).put((byte) proto).putShort((short) 0).putInt(src).putInt(dst).put(payload);
        return f; // checksums are filled in by rewrite()
    }

    // ---- pcapng input ----

    static List<Pkt> readPcapng(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p));
        List<Pkt> out = new ArrayList<>();
        List<Integer> linkTypes = new ArrayList<>();
        while (b.remaining() >= 12) {
            int at = b.position();
            if (b.getInt(at) == 0x0A0D0D0A) {
                b.order(b.getInt(at + 8) == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                linkTypes.clear();
            }
            int type = b.getInt(at);
            int len = b.getInt(at + 4);
            if (type == 1) {
                linkTypes.add(b.getShort(at + 8) & 0xffff);
            } else if (type == 6) {
                int iface = b.getInt(at + 8);
                int cap = b.getInt(at + 20);
                if (linkTypes.get(iface) != 1) {
                    throw new IOException(p + ": only Ethernet fixtures can be multiplied (interface " + iface
                            + " has link type " + linkTypes.get(iface) + ")");
                }
                byte[] d = new byte[cap];
                System.arraycopy(b.array(), at + 28, d, 0, cap);
                out.add(new Pkt(d));
            }
            b.position(at + len);
        }
        return out;
    }

    // ---- bytes ----

    static long size(String s) {
        char u = Character.toUpperCase(s.charAt(s.length() - 1));
        long m = switch (u) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(m == 1 ? s : s.substring(0, s.length() - 1)) * m;
    }

    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    static boolean allZero(byte[] f, int at, int n) {
        for (int i = 0; i < n; i++) {
            if (f[at + i] != 0) {
                return false;
            }
        }
        return true;
    }

    static int u16(byte[] f, int at) {
        return (f[at] & 0xff) << 8 | (f[at + 1] & 0xff);
    }

    static int i32(byte[] f, int at) {
        return u16(f, at) << 16 | u16(f, at + 2);
    }

    static void put32(byte[] f, int at, int v) {
        put16(f, at, v >>> 16);
        put16(f, at + 2, v);
    }

    static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    static long sum16(byte[] f, int at, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += u16(f, at + i);
        }
        if ((len & 1) != 0) {
            s += (f[at + len - 1] & 0xff) << 8;
        }
        return s;
    }

    /** One's-complement sum of len bytes plus an initial (pseudo-header) sum, folded to 16 bits. */
    static int sum(byte[] f, int at, int len, long initial) {
        long s = initial + sum16(f, at, len);
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
