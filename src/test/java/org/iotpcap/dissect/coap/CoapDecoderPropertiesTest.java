package org.iotpcap.dissect.coap;

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

class CoapDecoderPropertiesTest {

    @Property(tries = 3000)
    void decode_never_throws_on_random_bytes(@ForAll @Size(max = 300) byte[] bytes) {
        assertThat(CoapDecoder.decode(ByteView.of(bytes))).isNotNull();
        CoapDecoder.looksLike(ByteView.of(bytes));
    }

    @Property(tries = 3000)
    void decode_never_throws_on_mutated_messages(@ForAll("mutations") byte[] bytes) {
        DecodeResult<CoapMessage> r = CoapDecoder.decode(ByteView.of(bytes));
        assertThat(r).isInstanceOfAny(DecodeResult.Decoded.class, DecodeResult.Malformed.class);
        if (r instanceof DecodeResult.Decoded<CoapMessage> d) {
            CoapMessage m = d.value();                 // every accessor on any decoded value
            assertThat(m.uriPath()).startsWith("/");
            m.uriQuery(); m.uriHost(); m.uriPort(); m.contentFormat(); m.accept(); m.observe(); m.block1();
            m.block2(); m.size1(); m.size2(); m.etags(); m.locationPath(); m.noResponse(); m.codeText();
            m.options().forEach(CoapOption::value);
        }
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        byte[] base = richMessage();
        return Arbitraries.integers().between(0, base.length - 1).flatMap(pos ->
                Arbitraries.integers().between(0, 255).map(v -> {
                    byte[] b = base.clone();
                    b[pos] = (byte) (int) v;
                    return b;
                }));
    }

    /** Every one-byte mutation and every cut of a message with all option forms: a value, never an exception. */
    @Example
    void every_one_byte_mutation_and_cut_is_a_value() {
        byte[] base = richMessage();
        assertThat(CoapDecoder.decode(ByteView.of(base)).isOk()).isTrue();
        for (int pos = 0; pos < base.length; pos++) {
            for (int v = 0; v < 256; v++) {
                byte[] b = base.clone();
                b[pos] = (byte) v;
                assertThat(CoapDecoder.decode(ByteView.of(b))).isNotNull();
            }
            assertThat(CoapDecoder.decode(ByteView.of(base, 0, pos))).isNotNull();
        }
    }

    static byte[] richMessage() {
        return new byte[] {
            0x52, 0x45, 0x00, 0x01, 0x0a, 0x0b,     // NON 2.05 MID 1, token 0a0b
            0x33, 'a', '.', 'b',                    // 3 Uri-Host "a.b"
            0x31, 0x05,                             // 6 Observe 5
            0x51, 0x3c,                             // 11 Uri-Path "<" (delta 5, length 1)
            0x11, 0x3c,                             // 12 Content-Format 60
            (byte) 0xb2, 0x00, 0x2a,                // 23 Block2 NUM 2, M 1, SZX 2 (delta 11, length 2)
            (byte) 0xd1, 0x16, 0x10,                // 58 unknown: delta nibble 13, 13 + 22 = 35; length 1
            (byte) 0xe1, 0x00, 0x00, 0x01,          // 327 unknown: delta nibble 14, 269 + 0; length 1
            (byte) 0xff, '{', '}',                  // payload
        };
    }
}
