package org.iotpcap.dissect.mqttsn;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;

/** decode never throws, and its offsets stay in the datagram, on random and one-byte-mutated datagrams. */
class MqttSnDecoderPropertiesTest {

    @Property(tries = 3000)
    void decode_never_throws_on_random_bytes(@ForAll @Size(max = 300) byte[] bytes) {
        check(ByteView.of(bytes));
    }

    @Property(tries = 3000)
    void decode_never_throws_on_mutated_messages(@ForAll("mutated") byte[] bytes) {
        check(ByteView.of(bytes));
    }

    @Property(tries = 1000)
    void decode_never_throws_when_cut_by_snap_length(@ForAll("mutated") byte[] bytes, @ForAll int cutSeed) {
        int cut = Math.floorMod(cutSeed, bytes.length + 1);
        check(ByteView.of(bytes, 0, cut).withReported(bytes.length));
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        List<byte[]> valid = MqttSnSpecPcap.DATAGRAMS;
        return Arbitraries.integers().between(0, valid.size() - 1).flatMap(i -> {
            byte[] base = valid.get(i);
            return Arbitraries.integers().between(0, base.length - 1).flatMap(pos ->
                    Arbitraries.integers().between(0, 255).map(v -> {
                        byte[] copy = base.clone();
                        copy[pos] = (byte) (int) v;
                        return copy;
                    }));
        });
    }

    private static void check(ByteView v) {
        List<DecodeResult<MqttSnMessage>> all = MqttSnDecoder.decodeAll(v, new Limits.MqttSn(4, 2, 16));
        assertThat(all).isNotEmpty();
        for (DecodeResult<MqttSnMessage> r : all) {
            if (r instanceof DecodeResult.Malformed<MqttSnMessage> m) {
                assertThat(m.offset()).isBetween(0, v.reported());
            }
        }
        MqttSnDecoder.decode(v);
        MqttSnDecoder.looksLike(v);
    }
}
