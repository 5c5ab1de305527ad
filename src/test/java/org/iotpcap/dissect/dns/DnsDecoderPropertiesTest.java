package org.iotpcap.dissect.dns;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import net.jqwik.api.Example;

class DnsDecoderPropertiesTest {

    @Property(tries = 2000)
    void decode_never_throws_on_random_bytes(@ForAll @Size(max = 600) byte[] bytes) {
        assertThat(DnsDecoder.decode(ByteView.of(bytes))).isNotNull();
    }

    @Property(tries = 2000)
    void decode_never_throws_on_mutated_messages(@ForAll("mutations") byte[] bytes) {
        DecodeResult<DnsMessage> r = DnsDecoder.decode(ByteView.of(bytes));
        assertThat(r).isInstanceOfAny(DecodeResult.Decoded.class, DecodeResult.Malformed.class);
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        byte[] base = DnsDecoderTest.RFC1035_RESPONSE;
        return Arbitraries.integers().between(0, base.length - 1).flatMap(pos ->
                Arbitraries.integers().between(0, 255).map(v -> {
                    byte[] b = base.clone();
                    b[pos] = (byte) (int) v;
                    return b;
                }));
    }

    /** Every one-byte mutation of the RFC 1035 example, and every truncation: a value, never an exception. */
    @Example
    void every_one_byte_mutation_and_cut_is_a_value() {
        byte[] base = DnsDecoderTest.RFC1035_RESPONSE;
        for (int pos = 0; pos < base.length; pos++) {
            for (int v = 0; v < 256; v++) {
                byte[] b = base.clone();
                b[pos] = (byte) v;
                assertThat(DnsDecoder.decode(ByteView.of(b))).isNotNull();
            }
            assertThat(DnsDecoder.decode(ByteView.of(base, 0, pos)))
                    .isInstanceOf(DecodeResult.Malformed.class);
        }
    }
}
