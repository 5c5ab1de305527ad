package org.iotpcap.fuzz;

import org.iotpcap.bytes.Limits;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.coap.CoapDecoder;
import org.iotpcap.dissect.coap.CoapMessage;
import org.iotpcap.dissect.dns.DnsDecoder;
import org.iotpcap.dissect.dns.DnsMessage;
import org.iotpcap.dissect.mqttsn.MqttSnDecoder;
import org.iotpcap.dissect.mqttsn.MqttSnMessage;

/**
 * The datagram decoders in isolation: DNS, CoAP and MQTT-SN over the fuzzer's bytes, each with the default
 * limits and, on the same bytes, with small limits (so the limit paths run too). Fails on an escaping exception,
 * a result offset outside the input, or allocation beyond a budget proportional to the input.
 *
 * <p>The normal test run replays the inputs under {@code src/test/resources/org/iotpcap/fuzz/DecoderFuzzTestInputs/};
 * docs/robustness.md tells how to fuzz for real.
 */
class DecoderFuzzTest {

    /** Decoded records keep slices and copies of the input: a generous multiple of its size, plus a floor. */
    private static long budget(int length) {
        return 256L * 1024 + 64L * length;
    }

    @FuzzTest(maxDuration = "10s")
    void dns(byte[] data) throws Exception {
        ByteView v = ByteView.of(data);
        FuzzChecks.withinBudget(3 * budget(data.length), "DnsDecoder", () -> {
            DecodeResult<DnsMessage> r = DnsDecoder.decode(v);
            FuzzChecks.inRange(r, data.length, "DnsDecoder");
            FuzzChecks.inRange(DnsDecoder.decode(v, new Limits.Dns(2, 2, 16)), data.length, "DnsDecoder(small limits)");
            // a message the capture cut: the view holds fewer bytes than the datagram declared
            if (data.length > 1) {
                FuzzChecks.inRange(DnsDecoder.decode(v.slice(0, data.length / 2).withReported(data.length)),
                        data.length / 2, "DnsDecoder(cut)");
            }
            if (r instanceof DecodeResult.Decoded<DnsMessage> ok) {
                FuzzChecks.check(ok.value().toString() != null, "toString");
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void coap(byte[] data) throws Exception {
        ByteView v = ByteView.of(data);
        FuzzChecks.withinBudget(2 * budget(data.length), "CoapDecoder", () -> {
            DecodeResult<CoapMessage> r = CoapDecoder.decode(v);
            FuzzChecks.inRange(r, data.length, "CoapDecoder");
            FuzzChecks.inRange(CoapDecoder.decode(v, new Limits.Coap(3)), data.length, "CoapDecoder(small limits)");
            if (data.length > 1) {
                FuzzChecks.inRange(CoapDecoder.decode(v.slice(0, data.length / 2).withReported(data.length)),
                        data.length / 2, "CoapDecoder(cut)");
            }
            boolean looks = CoapDecoder.looksLike(v);
            FuzzChecks.check(!looks || r.isOk(), "looksLike true but decode failed: " + r);
            if (r instanceof DecodeResult.Decoded<CoapMessage> ok) {
                FuzzChecks.check(ok.value().toString() != null, "toString");
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void mqttsn(byte[] data) throws Exception {
        ByteView v = ByteView.of(data);
        FuzzChecks.withinBudget(3 * budget(data.length), "MqttSnDecoder", () -> {
            FuzzChecks.inRange(MqttSnDecoder.decode(v), data.length, "MqttSnDecoder");
            Limits.MqttSn small = new Limits.MqttSn(2, 1, 4);
            FuzzChecks.inRange(MqttSnDecoder.decode(v, small), data.length, "MqttSnDecoder(small limits)");
            if (data.length > 1) {
                FuzzChecks.inRange(MqttSnDecoder.decode(v.slice(0, data.length / 2).withReported(data.length)),
                        data.length / 2, "MqttSnDecoder(cut)");
            }
            List<DecodeResult<MqttSnMessage>> all = MqttSnDecoder.decodeAll(v);
            FuzzChecks.check(all.size() <= Limits.MqttSn.DEFAULTS.maxMessagesPerDatagram() + 1,
                    "decodeAll returned " + all.size() + " results");
            for (DecodeResult<MqttSnMessage> r : all) {
                FuzzChecks.inRange(r, data.length, "MqttSnDecoder.decodeAll");
            }
            MqttSnDecoder.looksLike(v);
        });
    }
}
