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
}
