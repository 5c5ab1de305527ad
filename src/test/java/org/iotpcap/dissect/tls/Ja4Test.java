package org.iotpcap.dissect.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.junit.jupiter.api.Test;

/**
 * JA4 against the example of the FoxIO specification (technical_details/JA4.md): a TLS 1.3 ClientHello with SNI,
 * ALPN h2, 15 cipher suites, 16 extensions and 8 signature algorithms fingerprints as
 * {@code t13d1516h2_8daaf6152771_e5627efa2ab1}. The hello is built here as bytes (suites and extensions in a
 * wire order of their own: JA4 sorts them) and decoded by {@link TlsClientHello}, so the parser is checked too.
 */
class Ja4Test {
    /** The spec's cipher suites, in the order a Chrome build sends them. */
    static final int[] SUITES = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
        0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    /** The spec's 16 extensions (with SNI 0x0000 and ALPN 0x0010). */
    static final int[] EXTENSIONS = {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023,
        0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015};
    static final int[] SIGALGS = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

    @Test
    void specExample() {
        TlsClientHello hello = decode(clientHello(SUITES, EXTENSIONS, false));
        assertThat(hello.serverName()).isEqualTo("example.com");
        assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
        assertThat(hello.maxVersion()).isEqualTo(0x0304);
        assertThat(Ja4.of(hello, false)).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
    }

    @Test
    void greaseIsLeftOut() {
        TlsClientHello hello = decode(clientHello(SUITES, EXTENSIONS, true));
        assertThat(hello.cipherSuites()).contains(0x0a0a);
        assertThat(Ja4.of(hello, false)).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
        assertThat(Ja4.of(hello, true)).startsWith("d13d1516h2_");
    }

    @Test
    void withoutSniAlpnOrSigalgs() {
        TlsClientHello hello = decode(clientHello(new int[] {0x009c}, new int[] {0x0017}, false));
        // no SNI (i), 1 suite, 1 extension, no ALPN (00), TLS 1.2 legacy version (no supported_versions)
        assertThat(Ja4.of(hello, false)).startsWith("t12i010100_");
        assertThat(Ja4.of(hello, false)).hasSize(36);
    }

    @Test
    void isGrease() {
        assertThat(Ja4.isGrease(0x0a0a)).isTrue();
        assertThat(Ja4.isGrease(0xfafa)).isTrue();
        assertThat(Ja4.isGrease(0x0a1a)).isFalse();
        assertThat(Ja4.isGrease(0x1301)).isFalse();
    }

    @Test
    void decode_truncated_malformed() {
        byte[] b = clientHello(SUITES, EXTENSIONS, false);
        for (int n = 0; n < b.length; n++) {
            DecodeResult<TlsClientHello> r = TlsClientHello.decode(ByteView.of(b, 0, n));
            // a hello cut inside its extensions block is malformed, never an exception; cut right after the
            // compression methods it is a valid TLS 1.2 hello without extensions
            assertThat(r).isNotNull();
        }
    }

    static TlsClientHello decode(byte[] body) {
        DecodeResult<TlsClientHello> r = TlsClientHello.decode(ByteView.of(body));
        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded<TlsClientHello>) r).value();
    }

    /** A ClientHello body: the listed extensions, with real contents for SNI, ALPN, versions and sigalgs. */
    static byte[] clientHello(int[] suites, int[] extensions, boolean grease) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u16(o, 0x0303);                       // legacy_version TLS 1.2
        o.writeBytes(new byte[32]);           // random
        o.write(0);                           // legacy_session_id: empty
        List<Integer> s = new ArrayList<>();
        if (grease) {
            s.add(0x0a0a);
        }
        for (int x : suites) {
            s.add(x);
        }
        u16(o, 2 * s.size());
        s.forEach(x -> u16(o, x));
        o.write(1);                           // one compression method: null
        o.write(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        if (grease) {
            u16(ext, 0x1a1a);
            u16(ext, 0);
        }
        for (int e : extensions) {
            byte[] d = switch (e) {
                case 0x0000 -> {              // server_name: list(2) | host_name(0) | name(2)
                    byte[] n = "example.com".getBytes(StandardCharsets.US_ASCII);
                    ByteArrayOutputStream x = new ByteArrayOutputStream();
                    u16(x, n.length + 3);
                    x.write(0);
                    u16(x, n.length);
                    x.writeBytes(n);
                    yield x.toByteArray();
                }
                case 0x0010 -> new byte[] {0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
                case 0x002b -> new byte[] {4, 0x03, 0x04, 0x03, 0x03};
                case 0x000d -> {
                    ByteArrayOutputStream x = new ByteArrayOutputStream();
                    u16(x, 2 * SIGALGS.length);
                    for (int a : SIGALGS) {
                        u16(x, a);
                    }
                    yield x.toByteArray();
                }
                default -> new byte[0];
            };
            u16(ext, e);
            u16(ext, d.length);
            ext.writeBytes(d);
        }
        u16(o, ext.size());
        o.writeBytes(ext.toByteArray());
        return o.toByteArray();
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >> 8);
        o.write(v);
    }
}
