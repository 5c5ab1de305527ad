package org.iotpcap.bench;

import org.iotpcap.bytes.Limits;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.coap.CoapDecoder;
import org.iotpcap.dissect.dns.DnsDecoder;
import org.iotpcap.dissect.mqtt.decode.MqttDecoder;
import org.iotpcap.dissect.mqttsn.MqttSnDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One message per operation through each decoder (bytes written by hand from the specifications). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecoderBench {
    private static ByteView hex(String h) {
        return ByteView.of(HexFormat.of().parseHex(h.replace(" ", "")));
    }

    /** MQTT 3.1.1 PUBLISH, QoS 0, RETAIN: topic "a/b" (3), payload "hello". */
    final ByteView mqttPublish = hex("31 0a 0003 612f62 68656c6c6f");
    /** MQTT 3.1.1 CONNECT: "MQTT" level 4, clean session, keep alive 60, client id "c1". */
    final ByteView mqttConnect = hex("10 0e 0004 4d515454 04 02 003c 0002 6331");
    /** CoAP CON GET, MID 0x1234, token 0x01, Uri-Path "sensors" / "temp". */
    final ByteView coapGet = hex("41 01 1234 01 b7 73656e736f7273 04 74656d70");
    /** MQTT-SN PUBLISH: length 9, flags 0 (QoS 0, normal topic id), topic id 1, msg id 5, data "hi". */
    final ByteView mqttsnPublish = hex("09 0c 00 0001 0005 6869");
    /** DNS response: id 1, one question coap.me A, one answer (pointer to the name) A 192.0.2.10. */
    final ByteView dnsResponse = hex("0001 8180 0001 0001 0000 0000 04636f6170 026d65 00 0001 0001"
            + " c00c 0001 0001 0000003c 0004 c000020a");

    @Benchmark
    public Object mqttPublish() {
        return MqttDecoder.decode(mqttPublish, 4, false, Limits.Mqtt.DEFAULTS);
    }

    @Benchmark
    public Object mqttConnect() {
        return MqttDecoder.decode(mqttConnect, 4, false, Limits.Mqtt.DEFAULTS);
    }

    @Benchmark
    public Object coapGet() {
        return CoapDecoder.decode(coapGet);
    }

    @Benchmark
    public Object mqttsnPublish() {
        return MqttSnDecoder.decodeAll(mqttsnPublish);
    }

    @Benchmark
    public Object dnsResponse() {
        return DnsDecoder.decode(dnsResponse);
    }
}
