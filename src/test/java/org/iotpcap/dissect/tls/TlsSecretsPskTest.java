package org.iotpcap.dissect.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code IDENTITY:HEX}, the one form of a pre-shared key for --psk and iotpcap-spark's psk option. */
class TlsSecretsPskTest {
    @Test
    void theLastColonEndsTheIdentity() {
        Map.Entry<String, byte[]> e = TlsSecrets.parsePsk("coap:device-1:0A0b10");
        assertThat(e.getKey()).isEqualTo("coap:device-1");
        assertThat(e.getValue()).containsExactly(0x0a, 0x0b, 0x10);
        assertThat(TlsSecrets.parsePsk(":01").getKey()).isEmpty();
    }

    @Test
    void aBadKeyNamesTheIdentityNeverTheKey() {
        for (String bad : new String[] {"device-1:0102zz", "device-1:", "device-1:012", "0102030405"}) {
            assertThatThrownBy(() -> TlsSecrets.parsePsk(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith(": expected IDENTITY:HEX").hasMessageNotContaining("0102")
                    .hasMessageNotContaining("zz").hasMessageNotContaining("012");
        }
        assertThatThrownBy(() -> TlsSecrets.parsePsk("device-1:0102zz")).hasMessage(
                "for identity 'device-1': expected IDENTITY:HEX");
    }
}
