package org.iotpcap.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.Tshark;

/**
 * What tshark shows of one capture, as plain records built only from {@code tshark -T fields} output (no iotpcap
 * class is used): DNS answers, CoAP messages, MQTT messages (one record per control packet, recovered from the
 * per-frame aggregated field lists), TCP connection events, and MQTT-SN datagrams.
 */
final class TsharkView {
    record Endpoint(String ip, int port) {
        @Override
        public String toString() {
            return ip + ":" + port;
        }
    }

    record Coap(int frame, Endpoint src, Endpoint dst, int type, int code, int mid, String token, String path,
            boolean malformed) {}

    /** One MQTT control packet; {@code topics} holds a PUBLISH's topic or a (UN)SUBSCRIBE's filters. */
    record Mqtt(int frame, int stream, Endpoint src, Endpoint dst, boolean retransmission, boolean frameMalformed,
            int type, int len, Integer version, String clientId, boolean willFlag, String willTopic,
            String willPayloadHex, Integer qos, Boolean retain, List<String> topics, String payloadHex,
            Boolean cleanSession, Boolean sessionPresent) {}

    record TcpEvent(int frame, int stream, Endpoint src, Endpoint dst, boolean syn, boolean ack, boolean fin,
            boolean rst) {}

    record MqttSnDatagram(int frame, Endpoint src, Endpoint dst, int udpPayloadLength, List<Integer> firstLengths,
            String payloadHex, boolean malformed) {}

    final Map<String, Set<String>> dnsAddresses = new HashMap<>();
    final Map<String, Set<String>> dnsCnames = new HashMap<>();
    private final Map<Integer, List<Coap>> coapByPort = new HashMap<>();
    final List<Mqtt> mqtt = new ArrayList<>();
    final List<TcpEvent> tcp = new ArrayList<>();
    /** Frames where the MQTT messages could not be split into records unambiguously (with the reason). */
    final Map<Integer, String> mqttUnaligned = new LinkedHashMap<>();
    /**
     * TCP streams where a segment starts with a CONNACK refusing the connection, read from the raw bytes
     * ({@code tcp.payload}: 0x20, Remaining Length, flags, a return or reason code other than 0), because tshark
     * 4.0 cannot decode a 3.1.1-format refusal of an MQTT 5 CONNECT (polimi's 15 malformed CONNACK frames).
     */
    final Set<Integer> refusedStreams = new java.util.HashSet<>();

    private final TestCapture tc;
    private final List<Map<String, String>> rows;

    /** UDP ports the analyses are also asked about beyond the defaults; tshark binds them like the defaults. */
    static final int COAP_EXTRA_PORT = 5699;
    static final int MQTTSN_EXTRA_PORT = 1886;

    private static final String[] FIELDS = {"frame.number", "frame.protocols", "_ws.malformed", "ip.src", "ipv6.src",
        "ip.dst", "ipv6.dst", "udp.srcport", "udp.dstport", "udp.length", "udp.payload", "tcp.stream",
        "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.nxtseq", "tcp.len", "tcp.flags.syn", "tcp.flags.ack",
        "tcp.flags.fin", "tcp.flags.reset", "tcp.analysis.retransmission", "tcp.payload",
        "dns.flags.response", "dns.count.answers", "dns.count.auth_rr", "dns.count.add_rr", "dns.resp.name",
        "dns.resp.type", "dns.a", "dns.aaaa", "dns.cname",
        "coap.type", "coap.code", "coap.mid", "coap.token", "coap.opt.uri_path", "coap.opt.uri_path_recon",
        "mqtt.msgtype", "mqtt.len", "mqtt.ver", "mqtt.conflag.willflag", "mqtt.conflag.cleansess",
        "mqtt.conack.flags.sp", "mqtt.clientid_len", "mqtt.clientid",
        "mqtt.willtopic_len", "mqtt.willtopic", "mqtt.willmsg", "mqtt.qos", "mqtt.retain", "mqtt.topic_len",
        "mqtt.topic", "mqtt.msg",
        "mqttsn.msg.len", "mqttsn.msg.type"};

    /**
     * One tshark pass over the capture with {@code tc.tsharkOptions()} plus CoAP on {@value #COAP_EXTRA_PORT} and
     * MQTT-SN on {@value #MQTTSN_EXTRA_PORT} (the non-default ports the test asks about).
     */
    TsharkView(TestCapture tc) {
        this.tc = tc;
        List<String> o = new ArrayList<>(tc.tsharkOptions());
        o.addAll(List.of("-d", "udp.port==" + COAP_EXTRA_PORT + ",coap", "-d", "udp.port==" + MQTTSN_EXTRA_PORT + ",mqttsn",
                "-Y", "tcp || udp"));
        this.rows = Tshark.fields(tc.path(), o, FIELDS);
        loadDns();
        loadTcp();
        loadMqtt();
    }

    private static boolean has(Map<String, String> r, String protocol) {
        return Arrays.asList(r.get("frame.protocols").split(":")).contains(protocol);
    }

    // ---- DNS

    private void loadDns() {
        for (Map<String, String> r : rows) {
            if (!list(r.get("dns.flags.response")).contains("1")) {
                continue;
            }
            List<Integer> answers = ints(r.get("dns.count.answers"));
            List<Integer> auth = ints(r.get("dns.count.auth_rr"));
            List<Integer> add = ints(r.get("dns.count.add_rr"));
            List<String> names = list(r.get("dns.resp.name"));
            List<Integer> types = ints(r.get("dns.resp.type"));
            Deque<String> a = new ArrayDeque<>(list(r.get("dns.a")));
            Deque<String> aaaa = new ArrayDeque<>(list(r.get("dns.aaaa")));
            Deque<String> cname = new ArrayDeque<>(list(r.get("dns.cname")));
            int rec = 0;
            for (int m = 0; m < answers.size(); m++) {
                int all = answers.get(m) + (m < auth.size() ? auth.get(m) : 0) + (m < add.size() ? add.get(m) : 0);
                for (int k = 0; k < all && rec < types.size(); k++, rec++) {
                    boolean answer = k < answers.get(m);
                    String name = names.get(rec).toLowerCase(java.util.Locale.ROOT);
                    switch (types.get(rec)) {
                        case 1 -> add(answer, dnsAddresses, name, a.poll());
                        case 28 -> add(answer, dnsAddresses, name, aaaa.poll());
                        case 5 -> add(answer, dnsCnames, name, lower(cname.poll()));
                        default -> { }
                    }
                }
            }
        }
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }

    private static void add(boolean answer, Map<String, Set<String>> map, String name, String value) {
        if (answer && value != null) {
            map.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(value);
        }
    }

    /** A and AAAA answers for the name, following CNAMEs across the capture's responses. */
    Set<String> resolve(String name) {
        Set<String> out = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(name.toLowerCase(java.util.Locale.ROOT)));
        while (!todo.isEmpty()) {
            String n = todo.poll();
            if (!seen.add(n)) {
                continue;
            }
            out.addAll(dnsAddresses.getOrDefault(n, Set.of()));
            todo.addAll(dnsCnames.getOrDefault(n, Set.of()));
        }
        return out;
    }

    // ---- CoAP

    /** CoAP messages as tshark shows them when CoAP is bound to the given UDP port (and 5683). */
    synchronized List<Coap> coap(int port) {
        if (port != 5683 && port != COAP_EXTRA_PORT) {
            throw new IllegalArgumentException("tshark binds CoAP only to 5683 and " + COAP_EXTRA_PORT);
        }
        return coapByPort.computeIfAbsent(0, this::loadCoap);
    }

    private List<Coap> loadCoap(int port) {
        List<Coap> coap = new ArrayList<>();
        for (Map<String, String> r : rows) {
            if (!has(r, "coap") || !has(r, "udp") || has(r, "icmp") || has(r, "icmpv6")) {
                continue;
            }
            if (r.get("coap.type").isEmpty() || r.get("coap.mid").isEmpty()) {
                continue; // tshark could not read the fixed header: no message
            }
            List<String> segs = r.get("coap.opt.uri_path").isEmpty() ? List.of() : list(r.get("coap.opt.uri_path"));
            String path = "/" + String.join("/", segs);
            String recon = r.get("coap.opt.uri_path_recon");
            if (!recon.isEmpty() && !recon.contains(",") && !recon.equals(path) && !recon.contains("?")) {
                path = recon; // a segment holding ',' (split wrongly above): tshark's reconstruction is exact
            }
            coap.add(new Coap(num(r.get("frame.number")), ep(r, "src", "udp.srcport"), ep(r, "dst", "udp.dstport"),
                    Integer.parseInt(r.get("coap.type")), Integer.parseInt(r.get("coap.code")),
                    Integer.parseInt(r.get("coap.mid")), r.get("coap.token"), path,
                    !r.get("_ws.malformed").isEmpty()));
        }
        return coap;
    }

    // ---- TCP

    private void loadTcp() {
        for (Map<String, String> r : rows) {
            if (!has(r, "tcp")) {
                continue;
            }
            noteSegment(r);
            String payload = r.getOrDefault("tcp.payload", "").replace(":", "");
            if (payload.length() >= 8 && payload.startsWith("20") && Integer.parseInt(payload.substring(2, 4), 16) >= 2
                    && !payload.startsWith("00", 6)) {
                refusedStreams.add(num(r.get("tcp.stream")));
            }
            if (!flag(r.get("tcp.flags.syn")) && !flag(r.get("tcp.flags.fin")) && !flag(r.get("tcp.flags.reset"))) {
                continue;
            }
            tcp.add(new TcpEvent(num(r.get("frame.number")), num(r.get("tcp.stream")), ep(r, "src", "tcp.srcport"),
                    ep(r, "dst", "tcp.dstport"), flag(r.get("tcp.flags.syn")), flag(r.get("tcp.flags.ack")),
                    flag(r.get("tcp.flags.fin")), flag(r.get("tcp.flags.reset"))));
        }
    }

    private static boolean flag(String v) {
        return v.equals("1") || v.equalsIgnoreCase("true");
    }

    // ---- MQTT

    private static final int CONNECT = 1, CONNACK = 2, PUBLISH = 3, SUBSCRIBE = 8, UNSUBSCRIBE = 10;

    private void loadMqtt() {
        Map<Integer, Integer> versionByStream = new HashMap<>();
        for (Map<String, String> r : rows) {
            if (!has(r, "mqtt")) {
                continue;
            }
            int frame = num(r.get("frame.number"));
            int stream = num(r.get("tcp.stream"));
            List<Integer> types = ints(r.get("mqtt.msgtype"));
            List<Integer> lens = ints(r.get("mqtt.len"));
            Deque<Integer> ver = new ArrayDeque<>(ints(r.get("mqtt.ver")));
            Deque<String> will = new ArrayDeque<>(list(r.get("mqtt.conflag.willflag")));
            Deque<String> clean = new ArrayDeque<>(list(r.get("mqtt.conflag.cleansess")));
            Deque<String> present = new ArrayDeque<>(list(r.get("mqtt.conack.flags.sp")));
            Deque<String> cid = new ArrayDeque<>(split(r.get("mqtt.clientid"), ints(r.get("mqtt.clientid_len"))));
            Deque<String> wt = new ArrayDeque<>(split(r.get("mqtt.willtopic"), ints(r.get("mqtt.willtopic_len"))));
            Deque<String> wm = new ArrayDeque<>(list(r.get("mqtt.willmsg")));
            Deque<Integer> qos = new ArrayDeque<>(ints(r.get("mqtt.qos")));
            Deque<String> retain = new ArrayDeque<>(list(r.get("mqtt.retain")));
            List<Integer> topicLens = ints(r.get("mqtt.topic_len"));
            Deque<Integer> tl = new ArrayDeque<>(topicLens);
            Deque<String> topic = new ArrayDeque<>(split(r.get("mqtt.topic"), topicLens));
            Deque<String> msg = new ArrayDeque<>(list(r.get("mqtt.msg")));
            long publishes = types.stream().filter(t -> t == PUBLISH).count();
            boolean payloadAligned = msg.size() == publishes;
            if (!payloadAligned && publishes > 1) {
                mqttUnaligned.put(frame, "PUBLISH payloads: " + msg.size() + " for " + publishes + " PUBLISH");
            }
            boolean single = types.size() == 1;
            boolean malformed = !r.get("_ws.malformed").isEmpty();
            Endpoint src = ep(r, "src", "tcp.srcport");
            Endpoint dst = ep(r, "dst", "tcp.dstport");
            boolean retrans = repeats.contains(frame);
            for (int m = 0; m < types.size(); m++) {
                int type = types.get(m);
                int len = m < lens.size() ? lens.get(m) : -1;
                boolean last = m == types.size() - 1;
                Integer version = versionByStream.get(stream);
                String clientId = null, willTopic = null, willMsg = null, payload = null;
                boolean willFlag = false;
                Integer q = null;
                Boolean ret = null;
                Boolean cleanSession = null;
                Boolean sessionPresent = null;
                List<String> topics = List.of();
                boolean incomplete = false;
                switch (type) {
                    case CONNECT -> {
                        version = ver.poll();
                        if (version != null) {
                            versionByStream.put(stream, version);
                        }
                        String wf = will.poll();
                        String cs = clean.poll();
                        cleanSession = cs == null ? null : flag(cs);
                        clientId = cid.poll();
                        willFlag = wf != null && flag(wf);
                        if (willFlag) {
                            willTopic = wt.poll();
                            willMsg = wm.poll();
                            incomplete = willTopic == null;
                        }
                        incomplete |= wf == null || clientId == null;
                    }
                    case CONNACK -> {
                        String sp = present.poll();
                        sessionPresent = sp == null ? null : flag(sp);
                        incomplete = last && malformed;
                    }
                    case PUBLISH -> {
                        q = qos.poll();
                        String rs = retain.poll();
                        ret = rs == null ? null : flag(rs);
                        tl.poll();
                        String t = topic.poll();
                        topics = t == null ? List.of() : List.of(t);
                        payload = payloadAligned ? msg.poll() : (publishes == 1 ? "" : null);
                        incomplete = q == null || rs == null || t == null;
                    }
                    case SUBSCRIBE, UNSUBSCRIBE -> {
                        List<String> got = new ArrayList<>();
                        if (single) {
                            while (!topic.isEmpty()) {
                                tl.poll();
                                got.add(topic.poll());
                            }
                        } else {
                            // Several messages in the frame: give this one the filters its Remaining Length holds.
                            int per = type == SUBSCRIBE ? 3 : 2; // length octets (+ options octet)
                            boolean v5 = version != null && version == 5;
                            int rest = len - 2;
                            while (!tl.isEmpty() && rest - (per + tl.peek()) >= (v5 ? 1 : 0)) {
                                rest -= per + tl.poll();
                                got.add(topic.poll());
                            }
                            if (!v5 && rest != 0 || v5 && rest < 1) {
                                mqttUnaligned.put(frame, "filters of a " + type + " do not fill its length");
                            }
                        }
                        topics = List.copyOf(got);
                        incomplete = topics.isEmpty() || (last && malformed);
                    }
                    default -> incomplete = last && malformed;
                }
                if (type == CONNECT || type == PUBLISH) {
                    incomplete |= last && malformed;
                }
                mqtt.add(new Mqtt(frame, stream, src, dst, retrans, incomplete, type, len, version, clientId,
                        willFlag, willTopic, willMsg, q, ret, topics, payload, cleanSession, sessionPresent));
            }
        }
    }

    // ---- MQTT-SN

    /** MQTT-SN datagrams as tshark shows them when MQTT-SN is bound to the given UDP port (and 1885). */
    List<MqttSnDatagram> mqttsn(int port) {
        if (port != 1885 && port != MQTTSN_EXTRA_PORT) {
            throw new IllegalArgumentException("tshark binds MQTT-SN only to 1885 and " + MQTTSN_EXTRA_PORT);
        }
        List<MqttSnDatagram> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            if (!has(r, "mqttsn")) {
                continue;
            }
            out.add(new MqttSnDatagram(num(r.get("frame.number")), ep(r, "src", "udp.srcport"),
                    ep(r, "dst", "udp.dstport"), num(r.get("udp.length")) - 8, ints(r.get("mqttsn.msg.len")),
                    r.get("udp.payload"), !r.get("_ws.malformed").isEmpty()));
        }
        return out;
    }

    // ---- helpers

    /** Frames whose TCP payload only repeats sequence space already seen in that direction (true repeats). */
    final Set<Integer> repeats = new java.util.HashSet<>();
    private final Map<String, List<long[]>> seen = new HashMap<>();

    /**
     * Records a TCP segment's sequence range and whether every octet of it was already seen in that direction. This
     * and not tshark's {@code tcp.analysis.retransmission} decides what a retransmission is: tshark also flags the
     * first copy of octets that arrive after later octets (out of order) as a "Fast Retransmission".
     */
    private void noteSegment(Map<String, String> r) {
        int len = num(r.get("tcp.len"));
        if (len <= 0 || r.get("tcp.seq").isEmpty()) {
            return;
        }
        long from = Long.parseLong(lastOf(r.get("tcp.seq")));
        long to = from + len;
        String dir = r.get("tcp.stream") + " " + ep(r, "src", "tcp.srcport");
        List<long[]> ranges = seen.computeIfAbsent(dir, d -> new ArrayList<>());
        long at = from;
        boolean progress = true;
        while (progress && at < to) {
            progress = false;
            for (long[] g : ranges) {
                if (g[0] <= at && at < g[1]) {
                    at = g[1];
                    progress = true;
                }
            }
        }
        if (at >= to) {
            repeats.add(num(r.get("frame.number")));
        }
        ranges.add(new long[] {from, to});
    }

    private static Endpoint ep(Map<String, String> r, String dir, String portField) {
        String v4 = r.get("ip." + dir);
        String ip = !v4.isEmpty() ? lastOf(v4) : lastOf(r.get("ipv6." + dir));
        String port = r.get(portField);
        return new Endpoint(ip, port.isEmpty() ? -1 : Integer.parseInt(lastOf(port)));
    }

    private static String lastOf(String agg) {
        int c = agg.lastIndexOf(',');
        return c < 0 ? agg : agg.substring(c + 1);
    }

    static int num(String v) {
        return v.isEmpty() ? -1 : Integer.parseInt(v.contains(",") ? v.substring(0, v.indexOf(',')) : v);
    }

    static List<String> list(String agg) {
        return agg.isEmpty() ? List.of() : Arrays.asList(agg.split(",", -1));
    }

    static List<Integer> ints(String agg) {
        return list(agg).stream().map(s -> s.startsWith("0x") ? Integer.parseInt(s.substring(2), 16)
                : Integer.parseInt(s)).toList();
    }

    /**
     * Splits an aggregated string field by the octet lengths tshark printed for each occurrence, so that a ',' inside
     * a value does not split it. Falls back to a plain split when the lengths do not match the text (e.g. invalid
     * UTF-8 shown as U+FFFD).
     */
    static List<String> split(String agg, List<Integer> lens) {
        if (lens.isEmpty()) {
            return list(agg);
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (int n = 0; n < lens.size(); n++) {
            int want = lens.get(n);
            int j = i;
            int bytes = 0;
            while (j < agg.length() && bytes < want) {
                int cp = agg.codePointAt(j);
                bytes += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                j += Character.charCount(cp);
            }
            if (bytes != want || (j < agg.length() && agg.charAt(j) != ',') || (n == lens.size() - 1 && j != agg.length())) {
                List<String> plain = list(agg);
                return plain.size() == lens.size() ? plain : plain;
            }
            out.add(agg.substring(i, j));
            i = j + 1;
        }
        return out;
    }
}
