package org.iotpcap.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.iotpcap.capture.CaptureFormat;
import org.iotpcap.capture.CaptureInterface;

/** What one pass over a capture counted. Filled by {@link Engine}; every field is documented in docs/info.md. */
public final class Summary {
    public CaptureFormat format;
    public boolean compressed;
    public int sections;
    public java.util.List<CaptureInterface> interfaces = java.util.List.of();
    public long frames;
    /** Sum of captured lengths. */
    public long bytes;
    /** Sum of original (on-the-wire) lengths. */
    public long wireBytes;
    public long firstNanos = Long.MAX_VALUE;
    public long lastNanos = Long.MIN_VALUE;
    public final Map<Integer, Long> framesByLinkType = new TreeMap<>();
    public long unknownLinkTypeFrames;
    public long nonIpFrames;
    public long ipv4Packets;
    public long ipv6Packets;
    public long ipFragments;
    public long ipDatagramsReassembled;
    public long tcpSegments;
    public long tcpConnections;
    public long tcpRetransmissions;
    public long tcpGaps;
    public long tcpConnectionsEvicted;
    public long udpDatagrams;
    public long udpFlows;
    public long otherIpPackets;
    public final Map<String, Long> skippedBlocks = new TreeMap<>();
    public final java.util.List<String> warnings = new java.util.ArrayList<>();
    /** Malformed or undecoded records: "layer/reason" to count. */
    public final Map<String, Long> malformed = new TreeMap<>();
    /** Protocol messages (dns, coap, mqtt, mqttsn), filled by the dissection layer. */
    public final Map<String, Long> messages = new LinkedHashMap<>();
    /** Traffic recognised by port but not decoded: DTLS datagrams (UDP 5684), TLS connections (TCP 8883). */
    public final Map<String, Long> recordedNotDecoded = new LinkedHashMap<>();
    /** Protocol message types ("mqtt" to "PUBLISH" to count), filled by the dissection layer. */
    public final Map<String, Map<String, Long>> messageTypes = new LinkedHashMap<>();

    public long malformedTotal() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean hasTimestamps() {
        return frames > 0 && firstNanos != Long.MAX_VALUE;
    }

    /**
     * The total of several captures' summaries (independent captures read one after another): counts and maps
     * add up, the time span covers them all, interfaces and warnings are listed in file order. The format is the
     * common one, or null when the files differ.
     */
    public static Summary total(java.util.List<Summary> parts) {
        Summary t = new Summary();
        java.util.List<CaptureInterface> ifaces = new java.util.ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Summary s = parts.get(i);
            t.format = i == 0 ? s.format : t.format == s.format ? t.format : null;
            t.compressed |= s.compressed;
            t.sections += s.sections;
            ifaces.addAll(s.interfaces);
            t.frames += s.frames;
            t.bytes += s.bytes;
            t.wireBytes += s.wireBytes;
            t.firstNanos = Math.min(t.firstNanos, s.firstNanos);
            t.lastNanos = Math.max(t.lastNanos, s.lastNanos);
            s.framesByLinkType.forEach((k, v) -> t.framesByLinkType.merge(k, v, Long::sum));
            t.unknownLinkTypeFrames += s.unknownLinkTypeFrames;
            t.nonIpFrames += s.nonIpFrames;
            t.ipv4Packets += s.ipv4Packets;
            t.ipv6Packets += s.ipv6Packets;
            t.ipFragments += s.ipFragments;
            t.ipDatagramsReassembled += s.ipDatagramsReassembled;
            t.tcpSegments += s.tcpSegments;
            t.tcpConnections += s.tcpConnections;
            t.tcpRetransmissions += s.tcpRetransmissions;
            t.tcpGaps += s.tcpGaps;
            t.tcpConnectionsEvicted += s.tcpConnectionsEvicted;
            t.udpDatagrams += s.udpDatagrams;
            t.udpFlows += s.udpFlows;
            t.otherIpPackets += s.otherIpPackets;
            s.skippedBlocks.forEach((k, v) -> t.skippedBlocks.merge(k, v, Long::sum));
            t.warnings.addAll(s.warnings);
            s.malformed.forEach((k, v) -> t.malformed.merge(k, v, Long::sum));
            s.messages.forEach((k, v) -> t.messages.merge(k, v, Long::sum));
            s.recordedNotDecoded.forEach((k, v) -> t.recordedNotDecoded.merge(k, v, Long::sum));
            s.messageTypes.forEach((proto, types) -> {
                Map<String, Long> into = t.messageTypes.computeIfAbsent(proto, k -> new TreeMap<>());
                types.forEach((k, v) -> into.merge(k, v, Long::sum));
            });
        }
        t.interfaces = java.util.List.copyOf(ifaces);
        return t;
    }
}
