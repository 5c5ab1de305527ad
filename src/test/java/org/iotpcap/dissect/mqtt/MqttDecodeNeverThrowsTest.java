package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.decode.MqttDecoder;
import org.iotpcap.dissect.mqtt.decode.MqttStreamDecoder;

/** decode never throws, on random bytes and on valid packets with one byte changed (jqwik logs the seed). */
class MqttDecodeNeverThrowsTest {

    static final List<byte[]> VALID = List.of(
            Mqtt311DecoderTest.CONNECT_FULL, Mqtt5DecoderTest.CONNECT,
            MqttStreamDecoderTest.CONNECT, MqttStreamDecoderTest.SUBSCRIBE, MqttStreamDecoderTest.PUBLISH,
            MqttBytes.cat(0x20, 14, 0x00, 0x00, 11, 0x21, 0x00, 0x0a, 0x12, 0x00, 0x03, "abc", 0x24, 0x01),
            MqttBytes.cat(0x32, 12, 0x00, 0x03, "a/b", 0x00, 0x07, 0x03, 0x23, 0x00, 0x04, "x"),
            MqttBytes.cat(0x82, 9, 0x00, 0x02, 0x02, 0x0b, 0x05, 0x00, 0x01, "#", 0x2d),
            MqttBytes.cat(0x40, 17, 0x00, 0x01, 0x10, 13, 0x26, 0x00, 0x01, "k", 0x00, 0x01, "v",
                    0x26, 0x00, 0x01, "k", 0x00, 0x00),
            MqttBytes.cat(0xf0, 8, 0x18, 0x06, 0x15, 0x00, 0x03, "SCR"),
            MqttBytes.b(0x90, 0x05, 0x00, 0x0a, 0x00, 0x02, 0x80));

    @Property(tries = 3000)
    void decodeNeverThrowsOnRandomBytes(@ForAll @Size(max = 64) byte[] bytes, @ForAll @IntRange(max = 6) int level) {
        check(bytes, level);
    }

    @Property(tries = 3000)
    void decodeNeverThrowsOnMutatedPackets(@ForAll("mutated") byte[] bytes, @ForAll @IntRange(max = 6) int level) {
        check(bytes, level);
    }

    @Property(tries = 500)
    void streamDecoderNeverThrows(@ForAll("mutated") byte[] a, @ForAll("mutated") byte[] b,
                                  @ForAll @IntRange(min = 1, max = 8) int chunk) {
        List<String> seen = new ArrayList<>();
        MqttStreamDecoder d = new MqttStreamDecoder(new MqttSink() {
            @Override
            public void onMessage(MqttFramed m) {
                seen.add(m.typeName());
            }

            @Override
            public void onMalformed(boolean fromClient, long frame, MqttReason reason, long offset, String detail) {
                seen.add(reason.code());
            }
        }, new Limits.Mqtt(64, 8, 8, 2), false);
        byte[] s = MqttBytes.cat(a, b, a);
        for (int i = 0; i < s.length; i += chunk) {
            d.feed(i % 2 == 0, s, i, Math.min(chunk, s.length - i), i, i);
        }
        d.close();
        assertThat(seen.size()).isLessThanOrEqualTo(s.length + 2);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return Arbitraries.of(VALID).flatMap(p -> Arbitraries.integers().between(0, p.length - 1)
                .flatMap(at -> Arbitraries.integers().between(0, 255).map(v -> {
                    byte[] c = p.clone();
                    c[at] = (byte) v.intValue();
                    return c;
                })));
    }

    private static void check(byte[] bytes, int level) {
        for (boolean keep : new boolean[] {false, true}) {
            DecodeResult<MqttMessage> r = MqttDecoder.decode(ByteView.of(bytes), level, keep, Limits.Mqtt.DEFAULTS);
            assertThat(r).isNotNull();
            if (r instanceof DecodeResult.Malformed<MqttMessage> m) {
                assertThat(m.offset()).isBetween(0, bytes.length);
            }
        }
        MqttDecoder.looksLikeConnect(ByteView.of(bytes));
    }
}
