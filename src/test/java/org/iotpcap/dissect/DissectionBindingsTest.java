package org.iotpcap.dissect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.testing.Tshark;
import org.junit.jupiter.api.Test;

/**
 * Decode-as bindings and heuristics through the whole pipeline, against tshark on the nDPI capture whose MQTT
 * runs on TCP 17501 (MANIFEST.md: tshark needs -d tcp.port==17501,mqtt).
 */
class DissectionBindingsTest {
    private static final Path NDPI = Path.of("..", "shared", "captures", "third-party", "ndpi-coap_mqtt.pcap");

    private static Summary run(Path capture, Bindings bindings) throws Exception {
        Dissection d = new Dissection(bindings, Diagnostics.IGNORE, MessageSink.NONE, false);
        try (CaptureReader r = Captures.open(capture.toString())) {
            Summary s = Engine.builder().onUdp(d).onTcp(d).build().run(r);
            d.fill(s);
            return s;
        }
    }

    private static long tsharkMqttMessages(Path capture, String filter, String... decodeAs) {
        List<String> opts = new java.util.ArrayList<>(List.of("-o", "tcp.desegment_tcp_streams:TRUE", "-Y", filter));
        for (String d : decodeAs) {
            opts.add("-d");
            opts.add(d);
        }
        return Tshark.fields(capture, opts, "mqtt.msgtype").stream()
                .mapToLong(r -> r.get("mqtt.msgtype").isEmpty() ? 0 : r.get("mqtt.msgtype").split(",").length).sum();
    }

    @Test
    void decodeAs_givesTsharksMessagesOnANonStandardPort() throws Exception {
        assumeTrue(Files.exists(NDPI), "shared captures absent");
        Tshark.assumeAvailable();
        Summary s = run(NDPI, new Bindings(List.of(Binding.parse("tcp.port==17501:mqtt")), Heuristics.NONE));
        long expected = tsharkMqttMessages(NDPI, "mqtt", "tcp.port==17501,mqtt");
        assertThat(expected).isPositive();
        assertThat(s.messages.get("mqtt")).isEqualTo(expected);
    }

    @Test
    void withoutBindingOrHeuristicsNothingIsMqtt() throws Exception {
        assumeTrue(Files.exists(NDPI), "shared captures absent");
        Summary s = run(NDPI, new Bindings(List.of(), Heuristics.NONE));
        assertThat(s.messages.get("mqtt")).isZero();
    }

    @Test
    void mqttHeuristic_recognisesConnectionsWithAndWithoutTheirConnect() throws Exception {
        assumeTrue(Files.exists(NDPI), "shared captures absent");
        Tshark.assumeAvailable();
        // One connection on 17501 starts with its handshake and CONNECT; the others began before the capture
        // (no SYN): their first bytes are whole MQTT packets, which the mid-stream heuristic recognises. So the
        // heuristic alone finds every message tshark decodes when told that 17501 is MQTT.
        List<java.util.Map<String, String>> syn = Tshark.fields(NDPI,
                List.of("-Y", "tcp.flags.syn==1 && tcp.flags.ack==0 && tcp.dstport==17501"), "tcp.stream");
        assertThat(syn).hasSize(1);
        long expected = tsharkMqttMessages(NDPI, "mqtt", "tcp.port==17501,mqtt");
        long withConnect = tsharkMqttMessages(NDPI, "mqtt && tcp.stream==" + syn.get(0).get("tcp.stream"),
                "tcp.port==17501,mqtt");
        Summary s = run(NDPI, Bindings.defaults());
        assertThat(expected).isGreaterThan(withConnect);
        assertThat(s.messages.get("mqtt")).isEqualTo(expected);
    }
}
