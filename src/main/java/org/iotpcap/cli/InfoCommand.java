package org.iotpcap.cli;

import org.iotpcap.bytes.Limits;
import org.iotpcap.pipeline.Pipeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.iotpcap.capture.CaptureInterface;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.capture.LinkTypes;
import org.iotpcap.capture.Timestamps;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.dissect.Dissection;
import org.iotpcap.dissect.MessageSink;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code iotpcap info CAPTURE}: what capinfos says, plus what the reassembly and the dissectors found. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Summarise a capture: format, interfaces, frames, time span, IP and TCP reassembly, "
                + "malformed records and protocol messages.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "pcap or pcapng files (gzip allowed), "
            + "directories (every *.pcap, *.pcapng, *.cap, *.gz under it) or globs, or - for stdin")
    List<String> captures;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @picocli.CommandLine.Mixin
    InputOptions options = new InputOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    enum OutputFormat { text, json }

    @Override
    public Integer call() throws Exception {
        Pipeline.Inputs inputs = options.inputs(captures);
        List<Summary> parts;
        try (Progress progress = options.progress("reading", inputs.files())) {
            parts = inputs.run(new Pipeline.Options(options.bindings(), false, Limits.forThisHeap(), progress::update)
                    .withKeyLogs(options.keyLogs()).withPsks(options.psks()), null);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (parts.size() == 1) {
            Summary s = parts.get(0);
            if (format == OutputFormat.json) {
                Json.write(out, toMap(s));
            } else {
                printText(out, s);
            }
            return Problems.exitCode(s, options.strict, spec.commandLine().getErr());
        }
        // Independent captures: one summary per file, then their total.
        Summary total = Summary.total(parts);
        if (format == OutputFormat.json) {
            List<Object> each = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("capture", inputs.files().get(i));
                m.putAll(toMap(parts.get(i)));
                each.add(m);
            }
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("captures", each);
            all.put("total", toMap(total));
            Json.write(out, all);
        } else {
            for (int i = 0; i < parts.size(); i++) {
                row(out, "Capture", inputs.files().get(i));
                printText(out, parts.get(i));
                out.println();
            }
            row(out, "Total", parts.size() + " captures");
            printText(out, total);
        }
        return Problems.exitCode(total, options.strict, spec.commandLine().getErr());
    }

    static Map<String, Object> toMap(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", s.format == null ? "mixed" : s.format.label());
        m.put("compressed", s.compressed);
        m.put("sections", s.sections);
        List<Object> ifs = new ArrayList<>();
        for (CaptureInterface i : s.interfaces) {
            Map<String, Object> im = new LinkedHashMap<>();
            im.put("id", i.id());
            im.put("section", i.section());
            im.put("link_type", i.linkType());
            im.put("link_type_name", LinkTypes.name(i.linkType()));
            im.put("snap_length", i.snapLength());
            im.put("name", i.name());
            im.put("ts_resolution", resolution(i.tsResolution()));
            im.put("ts_offset_seconds", i.tsOffsetSeconds());
            ifs.add(im);
        }
        m.put("interfaces", ifs);
        m.put("frames", s.frames);
        m.put("bytes", s.bytes);
        m.put("wire_bytes", s.wireBytes);
        m.put("first_time", s.hasTimestamps() ? Timestamps.iso(s.firstNanos) : null);
        m.put("last_time", s.hasTimestamps() ? Timestamps.iso(s.lastNanos) : null);
        m.put("first_time_epoch", s.hasTimestamps() ? Timestamps.epochString(s.firstNanos) : null);
        m.put("last_time_epoch", s.hasTimestamps() ? Timestamps.epochString(s.lastNanos) : null);
        m.put("duration_seconds", s.hasTimestamps() ? duration(s) : null);
        Map<String, Object> byLink = new LinkedHashMap<>();
        s.framesByLinkType.forEach((k, v) -> byLink.put(String.valueOf(k), v));
        m.put("frames_by_link_type", byLink);
        m.put("unknown_link_type_frames", s.unknownLinkTypeFrames);
        m.put("non_ip_frames", s.nonIpFrames);
        m.put("ipv4_packets", s.ipv4Packets);
        m.put("ipv6_packets", s.ipv6Packets);
        m.put("ip_fragments", s.ipFragments);
        m.put("ip_datagrams_reassembled", s.ipDatagramsReassembled);
        m.put("tcp_segments", s.tcpSegments);
        m.put("tcp_connections", s.tcpConnections);
        m.put("tcp_retransmissions", s.tcpRetransmissions);
        m.put("tcp_gaps", s.tcpGaps);
        m.put("tcp_connections_evicted", s.tcpConnectionsEvicted);
        m.put("udp_datagrams", s.udpDatagrams);
        m.put("udp_flows", s.udpFlows);
        m.put("other_ip_packets", s.otherIpPackets);
        m.put("skipped_blocks", new LinkedHashMap<>(s.skippedBlocks));
        m.put("warnings", s.warnings);
        Map<String, Object> mal = new LinkedHashMap<>();
        mal.put("total", s.malformedTotal());
        mal.put("by_reason", new LinkedHashMap<>(s.malformed));
        m.put("malformed", mal);
        m.put("messages", new LinkedHashMap<>(s.messages));
        m.put("message_types", new LinkedHashMap<>(s.messageTypes));
        m.put("recorded_not_decoded", new LinkedHashMap<>(s.recordedNotDecoded));
        return m;
    }

    private static String resolution(int tsresol) {
        int n = tsresol & 0x7f;
        return (tsresol & 0x80) == 0 ? "1e-" + n : "2^-" + n;
    }

    private static String duration(Summary s) {
        return Timestamps.epochString(s.lastNanos - s.firstNanos);
    }

    private static void printText(PrintWriter out, Summary s) {
        row(out, "Format", (s.format == null ? "mixed" : s.format.label()) + (s.compressed ? " (gzip-compressed)" : ""));
        row(out, "Sections", s.sections);
        for (CaptureInterface i : s.interfaces) {
            row(out, "Interface " + i.id(), LinkTypes.name(i.linkType()) + " (linktype " + i.linkType() + ")"
                    + (i.name() != null ? ", " + i.name() : "") + ", snaplen " + i.snapLength()
                    + ", resolution " + resolution(i.tsResolution()));
        }
        row(out, "Frames", s.frames);
        row(out, "Bytes captured", s.bytes + " (on the wire " + s.wireBytes + ")");
        if (s.hasTimestamps()) {
            row(out, "First frame", Timestamps.iso(s.firstNanos));
            row(out, "Last frame", Timestamps.iso(s.lastNanos));
            row(out, "Duration", duration(s) + " s");
        }
        row(out, "IPv4 / IPv6 packets", s.ipv4Packets + " / " + s.ipv6Packets);
        row(out, "IP fragments", s.ipFragments + " (" + s.ipDatagramsReassembled + " datagrams reassembled)");
        row(out, "TCP connections", s.tcpConnections + " (" + s.tcpSegments + " segments, " + s.tcpRetransmissions
                + " retransmissions, " + s.tcpGaps + " gaps)");
        row(out, "UDP flows", s.udpFlows + " (" + s.udpDatagrams + " datagrams)");
        if (s.nonIpFrames > 0 || s.otherIpPackets > 0) {
            row(out, "Other", s.nonIpFrames + " non-IP frames, " + s.otherIpPackets + " other IP packets");
        }
        if (s.unknownLinkTypeFrames > 0) {
            row(out, "Unknown link type", s.unknownLinkTypeFrames + " frames not decoded");
        }
        if (!s.skippedBlocks.isEmpty()) {
            row(out, "Skipped blocks", s.skippedBlocks);
        }
        for (var e : s.messages.entrySet()) {
            Map<String, Long> types = s.messageTypes.getOrDefault(e.getKey(), Map.of());
            row(out, e.getKey().toUpperCase(java.util.Locale.ROOT) + " messages", e.getValue()
                    + (types.isEmpty() ? "" : " " + types));
        }
        long notDecoded = s.recordedNotDecoded.values().stream().mapToLong(Long::longValue).sum();
        if (notDecoded > 0) {
            row(out, "Not decoded", s.recordedNotDecoded.get("tls_connections") + " TLS connections (TCP 8883), "
                    + s.recordedNotDecoded.get("dtls_datagrams") + " DTLS datagrams (UDP 5684)");
        }
        row(out, "Malformed", s.malformedTotal() == 0 ? "none" : s.malformedTotal() + " " + s.malformed);
    }

    private static void row(PrintWriter out, String key, Object value) {
        out.printf("%-22s %s%n", key + ":", value);
    }
}
