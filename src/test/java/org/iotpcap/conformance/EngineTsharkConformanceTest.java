package org.iotpcap.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.capture.Timestamps;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.cli.Main;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.Tshark;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-checks the capture engine against tshark, the reference, on every conformance capture
 * ({@link TestCaptures#all()}): frames, timestamps, lengths, outer IP addresses and ports per frame, TCP
 * connections and the bytes rebuilt in each direction, IP reassembly, UDP flows, and the {@code info --format
 * json} keys against capinfos.
 *
 * <p>Reassembled TCP bytes come from {@code tshark -q -z follow,tcp,raw,N}, one tap per stream, all in one
 * tshark run (one pass over the file whatever the stream count: about 1.6 s for the 405 streams of the polimi
 * capture), so every capture gets the exact comparison and no cheaper approximation is needed.
 *
 * <p>Each capture is read once by tshark and once by the engine; the results are cached per capture.
 * Skipped where tshark is not installed.
 */
class EngineTsharkConformanceTest {

    static Stream<TestCapture> captures() {
        return TestCaptures.all().stream();
    }

    @BeforeAll
    static void needTshark() {
        Tshark.assumeAvailable();
    }

    // ---------------------------------------------------------------- what we see

    /** One frame as the engine saw it. */
    record OurFrame(long number, long nanos, int capLen, long len, String src, String dst, int version,
                    int transport, int srcPort, int dstPort) {}

    /** One TCP connection as the engine rebuilt it. */
    static final class OurConnection {
        String client;
        String server;
        long fromClient;
        long fromServer;
        long gapFromClient;
        long gapFromServer;
    }

    record Ours(List<OurFrame> frames, Map<Long, OurConnection> connections, Summary summary) {}

    // ---------------------------------------------------------------- what tshark sees

    /** tshark follow output for one stream: the two nodes and the bytes each sent. */
    record Follow(String node0, String node1, long bytes0, long bytes1, long missing0, long missing1) {}

    /**
     * tshark's follow writes a hole as the text "[N bytes missing in capture file]" plus a NUL, in hex, in
     * place of the bytes (a tshark quirk, see docs/tshark-differences-capture.md): those are counted as
     * missing bytes, not as data.
     */
    private static final Pattern MISSING = Pattern.compile("\\[(\\d+) bytes missing in capture file\\]\\x00?");

    record Reference(List<Map<String, String>> frames, Map<Long, Follow> follows, int udpConversations) {}

    private static final Map<Path, Ours> OURS = new ConcurrentHashMap<>();
    private static final Map<Path, Reference> REFS = new ConcurrentHashMap<>();

    private static final String[] FIELDS = {
        "frame.number", "frame.time_epoch", "frame.cap_len", "frame.len", "frame.protocols",
        "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
        "tcp.stream", "ip.fragment.count", "ipv6.fragment.count"
    };

    static Ours ours(TestCapture tc) {
        return OURS.computeIfAbsent(tc.path(), p -> {
            List<OurFrame> frames = new ArrayList<>();
            Map<Long, OurConnection> conns = new TreeMap<>();
            TcpStreamListener tcp = new TcpStreamListener() {
                @Override
                public void onOpen(TcpConnection c) {
                    OurConnection o = new OurConnection();
                    o.client = c.client().toString();
                    o.server = c.server().toString();
                    conns.put(c.index(), o);
                }

                @Override
                public void onData(TcpConnection c, boolean fromClient, byte[] data, int offset, int length,
                                   long frame, long ts) {
                    OurConnection o = conns.get(c.index());
                    if (fromClient) {
                        o.fromClient += length;
                    } else {
                        o.fromServer += length;
                    }
                }

                @Override
                public void onGap(TcpConnection c, boolean fromClient, long bytes, long frame) {
                    OurConnection o = conns.get(c.index());
                    if (fromClient) {
                        o.gapFromClient += bytes;
                    } else {
                        o.gapFromServer += bytes;
                    }
                }
            };
            try (CaptureReader r = Captures.open(p.toString(), Diagnostics.IGNORE, Limits.DEFAULTS)) {
                Summary s = Engine.builder().onTcp(tcp).onFrame((rec, ip, transport, sp, dp, stream, conn) -> frames.add(
                        new OurFrame(rec.frameNumber(), rec.timestampNanos(), rec.capturedLength(),
                                rec.originalLength(), ip == null ? "" : ip.src().toString(),
                                ip == null ? "" : ip.dst().toString(), ip == null ? 0 : ip.version, transport, sp,
                                dp))).build().run(r);
                return new Ours(frames, conns, s);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static Reference reference(TestCapture tc) {
        return REFS.computeIfAbsent(tc.path(), p -> {
            // one pass for the per-frame fields and the UDP conversation table (printed after the rows)
            List<String> cmd = new ArrayList<>(List.of(Tshark.executable(), "-n", "-r", p.toString()));
            cmd.addAll(tc.tsharkOptions());
            cmd.addAll(List.of("-z", "conv,udp", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
                    "-E", "aggregator=,"));
            for (String f : FIELDS) {
                cmd.add("-e");
                cmd.add(f);
            }
            List<Map<String, String>> frames = new ArrayList<>();
            int udp = 0;
            boolean stats = false;
            for (String line : Tshark.run(cmd).split("\n")) {
                if (line.startsWith("=====")) {
                    stats = true;
                } else if (stats) {
                    udp += line.contains("<->") ? 1 : 0;
                } else if (!line.isEmpty()) {
                    String[] cols = line.split("\t", -1);
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < FIELDS.length; i++) {
                        row.put(FIELDS[i], i < cols.length ? cols[i] : "");
                    }
                    frames.add(row);
                }
            }
            TreeSet<Long> streams = new TreeSet<>();
            for (Map<String, String> f : frames) {
                Long s = topLevelStream(f);
                if (s != null) {
                    streams.add(s);
                }
            }
            Map<Long, Follow> follows = streams.isEmpty() ? Map.of() : follow(p, tc, streams);
            return new Reference(frames, follows, udp);
        });
    }

    /** The frame's tcp.stream unless its first TCP header is inside an ICMP error (then it is not top level). */
    static Long topLevelStream(Map<String, String> f) {
        String stream = first(f.get("tcp.stream"));
        if (stream.isEmpty()) {
            return null;
        }
        List<String> protos = List.of(f.get("frame.protocols").split(":"));
        int tcp = protos.indexOf("tcp");
        int icmp = Math.min(index(protos, "icmp"), index(protos, "icmpv6"));
        return tcp >= 0 && tcp < icmp ? Long.parseLong(stream) : null;
    }

    private static int index(List<String> l, String s) {
        int i = l.indexOf(s);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static final Pattern FOLLOW_FILTER = Pattern.compile("Filter: tcp\\.stream eq (\\d+)");

    /** One tshark pass with a follow,tcp,raw tap per stream (in batches, to keep the command line short). */
    static Map<Long, Follow> follow(Path p, TestCapture tc, TreeSet<Long> streams) {
        Map<Long, Follow> out = new HashMap<>();
        List<Long> all = new ArrayList<>(streams);
        for (int from = 0; from < all.size(); from += 1000) {
            List<String> cmd = new ArrayList<>(List.of(Tshark.executable(), "-n", "-r", p.toString()));
            cmd.addAll(tc.tsharkOptions());
            cmd.add("-q");
            for (Long s : all.subList(from, Math.min(all.size(), from + 1000))) {
                cmd.add("-z");
                cmd.add("follow,tcp,raw," + s);
            }
            parseFollow(Tshark.run(cmd), out);
        }
        return out;
    }

    static void parseFollow(String text, Map<Long, Follow> out) {
        Long stream = null;
        String node0 = null;
        String node1 = null;
        long b0 = 0;
        long b1 = 0;
        long m0 = 0;
        long m1 = 0;
        for (String line : text.split("\n")) {
            Matcher m = FOLLOW_FILTER.matcher(line);
            if (m.matches()) {
                stream = Long.parseLong(m.group(1));
                node0 = null;
                node1 = null;
                b0 = 0;
                b1 = 0;
                m0 = 0;
                m1 = 0;
            } else if (line.startsWith("Node 0: ")) {
                node0 = endpoint(line.substring(8));
            } else if (line.startsWith("Node 1: ")) {
                node1 = endpoint(line.substring(8));
            } else if (line.startsWith("====")) {
                if (stream != null && node0 != null) {
                    out.put(stream, new Follow(node0, node1, b0, b1, m0, m1));
                    stream = null;
                }
            } else if (stream != null && node0 != null && !line.isBlank() && !line.startsWith("Follow:")) {
                String hex = line.strip();
                Matcher missing = MISSING.matcher(new String(java.util.HexFormat.of().parseHex(hex),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
                long gap = missing.matches() ? Long.parseLong(missing.group(1)) : 0;
                long data = missing.matches() ? 0 : hex.length() / 2;
                if (line.startsWith("\t")) {
                    b1 += data;
                    m1 += gap;
                } else {
                    b0 += data;
                    m0 += gap;
                }
            }
        }
    }

    /** tshark's "addr:port" (IPv6 possibly in brackets) in iotpcap's Endpoint form. */
    static String endpoint(String s) {
        s = s.strip();
        int colon = s.lastIndexOf(':');
        String addr = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        return addr.contains(":") ? "[" + addr + "]:" + port : addr + ":" + port;
    }

    static String first(String aggregated) {
        if (aggregated == null || aggregated.isEmpty()) {
            return "";
        }
        int comma = aggregated.indexOf(',');
        return comma < 0 ? aggregated : aggregated.substring(0, comma);
    }

    // ---------------------------------------------------------------- checks

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("captures")
    void framesTimestampsAndLengths(TestCapture tc) {
        Ours ours = ours(tc);
        Reference ref = reference(tc);
        assertThat(ours.frames()).as("frame count").hasSize(ref.frames().size());
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < ref.frames().size(); i++) {
            Map<String, String> t = ref.frames().get(i);
            OurFrame o = ours.frames().get(i);
            String expected = t.get("frame.time_epoch") + " " + t.get("frame.cap_len") + " " + t.get("frame.len");
            String actual = Timestamps.epochString(o.nanos()) + " " + o.capLen() + " " + o.len();
            if (!expected.equals(actual)) {
                diffs.add("frame " + t.get("frame.number") + ": tshark " + expected + ", iotpcap " + actual);
            }
        }
        assertThat(diffs).as("frames whose time or lengths differ").isEmpty();
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("captures")
    void outerAddressesAndPorts(TestCapture tc) {
        Ours ours = ours(tc);
        Reference ref = reference(tc);
        assertThat(ours.frames()).hasSize(ref.frames().size());
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < ref.frames().size(); i++) {
            Map<String, String> t = ref.frames().get(i);
            OurFrame o = ours.frames().get(i);
            String tv4 = first(t.get("ip.src")) + " > " + first(t.get("ip.dst"));
            String tv6 = first(t.get("ipv6.src")) + " > " + first(t.get("ipv6.dst"));
            boolean tsharkNoIp = tv4.equals(" > ") && tv6.equals(" > ");
            String expected = o.version() == 6 ? tv6 : o.version() == 4 ? tv4
                    : tsharkNoIp ? "no IP" : "IPv4 " + tv4 + " IPv6 " + tv6;
            String actual = o.version() == 0 ? "no IP" : o.src() + " > " + o.dst();
            // ports: tshark's first TCP/UDP header, unless it lies inside an ICMP error (ours carries none there)
            boolean icmp = o.transport() == 1 || o.transport() == 58;
            String tPorts = "";
            if (!icmp) {
                String tcpSrc = first(t.get("tcp.srcport"));
                String udpSrc = first(t.get("udp.srcport"));
                if (!tcpSrc.isEmpty() && topLevelStream(t) != null) {
                    tPorts = "tcp " + tcpSrc + " > " + first(t.get("tcp.dstport"));
                } else if (!udpSrc.isEmpty()) {
                    tPorts = "udp " + udpSrc + " > " + first(t.get("udp.dstport"));
                }
            }
            String oPorts = o.transport() == 6 ? "tcp " + o.srcPort() + " > " + o.dstPort()
                    : o.transport() == 17 ? "udp " + o.srcPort() + " > " + o.dstPort() : "";
            if (!(expected + " " + tPorts).equals(actual + " " + oPorts)) {
                diffs.add("frame " + t.get("frame.number") + ": tshark " + expected + " " + tPorts + ", iotpcap "
                        + actual + " " + oPorts);
            }
        }
        assertThat(diffs).as("frames whose addresses or ports differ").isEmpty();
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("captures")
    void tcpConnectionsAndReassembledBytes(TestCapture tc) {
        Ours ours = ours(tc);
        Reference ref = reference(tc);
        assertThat(ours.summary().tcpConnections).as("TCP connections = distinct top-level tcp.stream")
                .isEqualTo(ref.follows().size());
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<Long, Follow> e : ref.follows().entrySet()) {
            Follow f = e.getValue();
            OurConnection o = ours.connections().get(e.getKey());
            if (o == null) {
                diffs.add("stream " + e.getKey() + ": iotpcap has no such connection");
                continue;
            }
            // map tshark's node 0/1 to our client/server by their endpoints
            String tshark;
            if (f.node0().equals(o.client) && f.node1().equals(o.server)) {
                tshark = f.bytes0() + "/" + f.bytes1() + " bytes, " + f.missing0() + "/" + f.missing1() + " missing";
            } else if (f.node1().equals(o.client) && f.node0().equals(o.server)) {
                tshark = f.bytes1() + "/" + f.bytes0() + " bytes, " + f.missing1() + "/" + f.missing0() + " missing";
            } else {
                diffs.add("stream " + e.getKey() + ": tshark " + f.node0() + " <-> " + f.node1() + ", iotpcap "
                        + o.client + " <-> " + o.server);
                continue;
            }
            String ourText = o.fromClient + "/" + o.fromServer + " bytes, " + o.gapFromClient + "/" + o.gapFromServer
                    + " missing";
            if (!tshark.equals(ourText)) {
                diffs.add("stream " + e.getKey() + " " + o.client + " -> " + o.server + ": tshark " + tshark
                        + ", iotpcap " + ourText);
            }
        }
        assertThat(diffs).as("connections whose rebuilt bytes differ (client->server/server->client)").isEmpty();
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("captures")
    void ipReassemblyAndUdpFlows(TestCapture tc) {
        Ours ours = ours(tc);
        Reference ref = reference(tc);
        // tshark 4.0 in one pass writes ip.reassembled_in only on fragments seen after the datagram was
        // rebuilt (never on the earlier fragments, nor on the frame that completes it), so the frames that
        // rebuilt a datagram are those carrying the fragment tree's count (ip.fragment.count/ipv6.fragment.count)
        long reassembled = 0;
        for (Map<String, String> f : ref.frames()) {
            if (!first(f.get("ip.fragment.count")).isEmpty() || !first(f.get("ipv6.fragment.count")).isEmpty()) {
                reassembled++;
            }
        }
        assertThat(ours.summary().ipDatagramsReassembled).as("IP datagrams reassembled").isEqualTo(reassembled);
        assertThat(ours.summary().udpFlows).as("UDP flows = tshark's UDP conversations")
                .isEqualTo(ref.udpConversations());
    }

    /** The header-level layers iotpcap itself reads; tshark's malformed flags at these layers are comparable. */
    private static final List<String> OUR_LAYERS = List.of("eth", "sll", "vlan", "ethertype", "null", "loop",
            "raw", "ip", "ipv6", "tcp", "udp");

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("captures")
    void infoJsonAgainstCapinfos(TestCapture tc) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"info", "--format", "json", tc.path().toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as("exit code; stderr: " + err).isZero();
        String json = out.toString();

        // capinfos -T -M -S -r -c -d -a -e: packets, data size (captured bytes), first and last time (epoch)
        String[] cap = Tshark.run(List.of("capinfos", "-T", "-M", "-S", "-r", "-c", "-d", "-a", "-e",
                tc.path().toString())).strip().split("\t");
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> actual = new LinkedHashMap<>();
        expected.put("frames", cap[1]);
        actual.put("frames", topLevel(json, "frames"));
        expected.put("bytes", cap[2]);
        actual.put("bytes", topLevel(json, "bytes"));
        if (!cap[3].equals("n/a")) {
            expected.put("first_time", new BigDecimal(cap[3]).stripTrailingZeros().toPlainString());
            actual.put("first_time", isoToEpoch(topLevel(json, "first_time")));
            expected.put("last_time", new BigDecimal(cap[4]).stripTrailingZeros().toPlainString());
            actual.put("last_time", isoToEpoch(topLevel(json, "last_time")));
        }
        Reference ref = reference(tc);
        expected.put("tcp_connections", String.valueOf(ref.follows().size()));
        actual.put("tcp_connections", topLevel(json, "tcp_connections"));
        expected.put("udp_flows", String.valueOf(ref.udpConversations()));
        actual.put("udp_flows", topLevel(json, "udp_flows"));

        // malformed: frames tshark flags malformed at a layer iotpcap reads (the protocol just before
        // _ws.malformed in frame.protocols) vs frames iotpcap reports malformed at the header layers
        long tsharkMalformed = ref.frames().stream().filter(f -> {
            List<String> protos = List.of(f.get("frame.protocols").split(":"));
            int m = protos.indexOf("_ws.malformed");
            return m > 0 && OUR_LAYERS.contains(protos.get(m - 1));
        }).count();
        expected.put("malformed (header layers)", String.valueOf(tsharkMalformed));
        actual.put("malformed (header layers)", String.valueOf(headerMalformed(ours(tc).summary())));
        assertThat(actual).isEqualTo(expected);
    }

    /** Our malformed records at the link, IP, UDP and TCP header layers (not gaps, limits or fragment loss). */
    static long headerMalformed(Summary s) {
        long n = 0;
        for (Map.Entry<String, Long> e : s.malformed.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("link/") && !k.equals("link/unknown_link_type")
                    || k.startsWith("ipv4/") || k.startsWith("ipv6/")
                    || k.startsWith("udp/") || k.matches("tcp/tcp_(too_short|bad_header_length|header_cut)")) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** The value of a key of the top-level JSON object (two-space indent, as the CLI writes it). */
    static String topLevel(String json, String key) {
        Matcher m = Pattern.compile("\n  \"" + Pattern.quote(key) + "\": (\"[^\"]*\"|[^,\n]+)").matcher(json);
        assertThat(m.find()).as("key " + key + " in " + json).isTrue();
        String v = m.group(1);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    static String isoToEpoch(String iso) {
        Instant i = Instant.parse(iso);
        return new BigDecimal(i.getEpochSecond()).add(BigDecimal.valueOf(i.getNano(), 9)).stripTrailingZeros()
                .toPlainString();
    }
}
