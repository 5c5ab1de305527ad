package org.iotpcap.engine;

import java.io.IOException;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.CaptureRecord;
import org.iotpcap.ip.FragmentReassembler;
import org.iotpcap.ip.IpDecoder;
import org.iotpcap.ip.IpPacket;
import org.iotpcap.link.LinkDecoder;
import org.iotpcap.link.LinkFrame;
import org.iotpcap.transport.FlowKey;
import org.iotpcap.transport.FlowTable;
import org.iotpcap.transport.tcp.TcpReassembler;
import org.iotpcap.transport.tcp.TcpSegment;
import org.iotpcap.transport.tcp.TcpStreamListener;
import org.iotpcap.transport.udp.UdpDatagram;
import org.iotpcap.transport.udp.UdpListener;

/**
 * The frame loop: capture record, link, IP (with fragment reassembly), then UDP datagrams to a
 * {@link UdpListener} and TCP segments through the {@link TcpReassembler} to a {@link TcpStreamListener}.
 * Everything it counts lands in a {@link Summary}; every problem goes to the diagnostics (and is counted
 * by layer and reason), and the loop goes on.
 *
 * <p>Single-threaded and deterministic; per frame it allocates nothing on the path of an in-order TCP
 * segment or a UDP datagram of a known flow.
 */
public final class Engine {
    private final Limits limits;
    private final Diagnostics userDiagnostics;
    private final UdpListener udpListener;
    private final TcpStreamListener tcpListener;
    private final FrameListener frameListener;
    private final long tcpStreamOffset;
    private final long udpFlowOffset;

    private Engine(Builder b) {
        this.tcpStreamOffset = b.tcpStreamOffset;
        this.udpFlowOffset = b.udpFlowOffset;
        this.limits = b.limits;
        this.userDiagnostics = b.diagnostics;
        this.udpListener = b.udp;
        this.tcpListener = b.tcp;
        this.frameListener = b.frame;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link Engine}. */
    public static final class Builder {
        private Limits limits = Limits.DEFAULTS;
        private Diagnostics diagnostics = Diagnostics.IGNORE;
        private UdpListener udp = d -> {};
        private TcpStreamListener tcp = TcpStreamListener.NONE;
        private FrameListener frame = null;
        private long tcpStreamOffset;
        private long udpFlowOffset;

        /**
         * Numbers TCP connections from {@code tcp} and UDP flows from {@code udp} instead of 0, so that several
         * captures loaded one after another into one dataset keep their stream numbers apart (stream = offset +
         * tshark's {@code tcp.stream}, or {@code udp.stream}, of that file). The summary still counts this run's.
         */
        public Builder streamOffsets(long tcp, long udp) {
            this.tcpStreamOffset = tcp;
            this.udpFlowOffset = udp;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        public Builder diagnostics(Diagnostics diagnostics) {
            this.diagnostics = diagnostics;
            return this;
        }

        public Builder onUdp(UdpListener listener) {
            this.udp = listener;
            return this;
        }

        public Builder onTcp(TcpStreamListener listener) {
            this.tcp = listener;
            return this;
        }

        public Builder onFrame(FrameListener listener) {
            this.frame = listener;
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }

    /** Reads the capture to its end. I/O errors of the input propagate; problems in its content do not. */
    public Summary run(CaptureReader reader) throws IOException {
        Summary sum = new Summary();
        Diagnostics diag = (frame, layer, reason, detail) -> {
            sum.malformed.merge(layer.label() + "/" + reason, 1L, Long::sum);
            userDiagnostics.report(frame, layer, reason, detail);
        };
        FragmentReassembler fragments = new FragmentReassembler(limits, diag);
        TcpReassembler tcp = new TcpReassembler(limits, diag, tcpListener);
        tcp.firstIndex(tcpStreamOffset);
        CaptureRecord rec = new CaptureRecord();
        LinkFrame link = new LinkFrame();
        IpPacket ip = new IpPacket();
        TcpSegment seg = new TcpSegment();
        UdpDatagram udp = new UdpDatagram();
        FlowKey probe = new FlowKey();
        // UDP flows numbered in order of first appearance; at most udpMaxFlows remembered (least recently active
        // forgotten first), so memory stays bounded; a forgotten flow that comes back gets a new number.
        FlowTable<Long> udpFlows = new FlowTable<>();
        long lastFrame = 0;
        // frames per link type, counted locally and merged into the summary when the type changes (not per frame)
        int runLinkType = Integer.MIN_VALUE;
        long runFrames = 0;

        while (reader.next(rec)) {
            long frame = rec.frameNumber();
            lastFrame = frame;
            long ts = rec.timestampNanos();
            sum.frames++;
            sum.bytes += rec.capturedLength();
            sum.wireBytes += rec.originalLength();
            if (ts < sum.firstNanos) {
                sum.firstNanos = ts;
            }
            if (ts > sum.lastNanos) {
                sum.lastNanos = ts;
            }
            if (rec.linkType() != runLinkType) {
                if (runFrames > 0) {
                    sum.framesByLinkType.merge(runLinkType, runFrames, Long::sum);
                }
                runLinkType = rec.linkType();
                runFrames = 0;
            }
            runFrames++;

            LinkDecoder.Status ls = LinkDecoder.decode(rec.linkType(), rec.data(), rec.offset(), rec.capturedLength(), link);
            if (ls != LinkDecoder.Status.OK) {
                if (ls == LinkDecoder.Status.UNKNOWN_LINK_TYPE) {
                    sum.unknownLinkTypeFrames++;
                    diag.report(frame, Layer.LINK, "unknown_link_type", "link type " + rec.linkType()
                            + " is not decoded");
                } else {
                    diag.report(frame, Layer.LINK, ls.name().toLowerCase(java.util.Locale.ROOT),
                            "link header of " + rec.capturedLength() + " bytes");
                }
                frameSeen(rec, null, -1, 0, 0, -1, null);
                continue;
            }
            if (link.etherType != LinkDecoder.ETHERTYPE_IPV4 && link.etherType != LinkDecoder.ETHERTYPE_IPV6) {
                sum.nonIpFrames++;
                frameSeen(rec, null, -1, 0, 0, -1, null);
                continue;
            }
            String err = IpDecoder.decode(link.etherType, rec.data(), link.netOffset, link.netLength, ip);
            if (err != null) {
                diag.report(frame, link.etherType == LinkDecoder.ETHERTYPE_IPV4 ? Layer.IPV4 : Layer.IPV6, err,
                        "network header of " + link.netLength + " bytes");
                frameSeen(rec, null, -1, 0, 0, -1, null);
                continue;
            }
            if (ip.version == 4) {
                sum.ipv4Packets++;
            } else {
                sum.ipv6Packets++;
            }
            if (ip.fragment) {
                sum.ipFragments++;
                if (ip.truncated) {
                    diag.report(frame, Layer.IP_FRAGMENT, "fragment_truncated", "fragment cut by the snap length");
                    frameSeen(rec, ip, -1, 0, 0, -1, null);
                    continue;
                }
                if (!fragments.offer(ip, frame, ts)) {
                    frameSeen(rec, ip, -1, 0, 0, -1, null);
                    continue;
                }
                sum.ipDatagramsReassembled++;
            }
            switch (ip.protocol) {
                case 6 -> {
                    err = seg.parse(ip);
                    if (err != null) {
                        diag.report(frame, Layer.TCP, err, "transport header of " + ip.payloadLength + " bytes");
                        frameSeen(rec, ip, 6, 0, 0, -1, null);
                        continue;
                    }
                    sum.tcpSegments++;
                    if (ip.truncated && seg.payloadLength > 0) {
                        diag.report(frame, Layer.TCP, "tcp_segment_truncated",
                                "segment cut by the snap length; its bytes are a gap in the stream");
                    }
                    tcp.segment(seg, frame, ts);
                    frameSeen(rec, ip, 6, seg.srcPort, seg.dstPort, tcp.current().index(), tcp.current());
                }
                case 17 -> {
                    err = udp.parse(ip);
                    if (err != null) {
                        diag.report(frame, Layer.UDP, err, "transport header of " + ip.payloadLength + " bytes");
                        frameSeen(rec, ip, 17, 0, 0, -1, null);
                        continue;
                    }
                    sum.udpDatagrams++;
                    probe.set(17, ip.srcHi, ip.srcLo, udp.srcPort, ip.dstHi, ip.dstLo, udp.dstPort);
                    Long index = udpFlows.get(probe);
                    if (index == null) {
                        index = udpFlowOffset + sum.udpFlows++;
                        udpFlows.put(probe, index);
                        if (udpFlows.size() > limits.udpMaxFlows()) {
                            udpFlows.removeEldest();
                        }
                    }
                    udp.flowIndex = index;
                    udp.frame = frame;
                    udp.timestampNanos = ts;
                    udpListener.onDatagram(udp);
                    frameSeen(rec, ip, 17, udp.srcPort, udp.dstPort, index, null);
                }
                default -> {
                    sum.otherIpPackets++;
                    frameSeen(rec, ip, ip.protocol, 0, 0, -1, null);
                }
            }
        }
        if (runFrames > 0) {
            sum.framesByLinkType.merge(runLinkType, runFrames, Long::sum);
        }
        fragments.finish(lastFrame);
        tcp.finish(lastFrame);
        sum.format = reader.format();
        sum.compressed = reader.compressed();
        sum.sections = reader.sections();
        sum.interfaces = java.util.List.copyOf(reader.interfaces());
        sum.skippedBlocks.putAll(reader.skippedBlocks());
        sum.warnings.addAll(reader.warnings());
        sum.tcpConnections = tcp.connectionCount();
        sum.tcpRetransmissions = tcp.retransmissions();
        sum.tcpGaps = tcp.gaps();
        sum.tcpConnectionsEvicted = tcp.evicted();
        return sum;
    }

    private void frameSeen(CaptureRecord rec, IpPacket ip, int transport, int srcPort, int dstPort, long stream,
                           org.iotpcap.transport.tcp.TcpConnection connection) {
        if (frameListener != null) {
            frameListener.onFrame(rec, ip, transport, srcPort, dstPort, stream, connection);
        }
    }
}
