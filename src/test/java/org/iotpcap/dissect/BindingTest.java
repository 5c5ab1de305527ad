package org.iotpcap.dissect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BindingTest {
    @Test
    void parse_acceptsTsharkLikeSyntaxWithColonOrComma() {
        assertThat(Binding.parse("udp.port==5000:coap")).isEqualTo(new Binding(Binding.Transport.UDP, 5000, Protocol.COAP));
        assertThat(Binding.parse("tcp.port==1884,mqtt")).isEqualTo(new Binding(Binding.Transport.TCP, 1884, Protocol.MQTT));
        assertThat(Binding.parse(" UDP.PORT == 1886 : MQTT-SN ")).isEqualTo(new Binding(Binding.Transport.UDP, 1886, Protocol.MQTTSN));
    }

    @Test
    void parse_rejectsBadSyntaxPortsAndTransports() {
        assertThatThrownBy(() -> Binding.parse("port 5000 coap")).hasMessageContaining("expected e.g.");
        assertThatThrownBy(() -> Binding.parse("udp.port==70000:coap")).hasMessageContaining("not in 1..65535");
        assertThatThrownBy(() -> Binding.parse("udp.port==0:coap")).hasMessageContaining("not in 1..65535");
        assertThatThrownBy(() -> Binding.parse("udp.port==5000:http")).hasMessageContaining("unknown protocol");
        assertThatThrownBy(() -> Binding.parse("udp.port==1883:mqtt")).hasMessageContaining("does not run over udp");
        assertThatThrownBy(() -> Binding.parse("tcp.port==5683:coap")).hasMessageContaining("does not run over tcp");
    }

    @Test
    void bindings_defaultPortsLowerPortFirstAndUserBindingsWin() {
        Bindings d = Bindings.defaults();
        assertThat(d.udp(40000, 5683)).isEqualTo(Protocol.COAP);
        assertThat(d.udp(5684, 40000)).isEqualTo(Protocol.DTLS);
        assertThat(d.udp(53, 40000)).isEqualTo(Protocol.DNS);
        assertThat(d.udp(5353, 5353)).isEqualTo(Protocol.DNS);
        assertThat(d.udp(1885, 50000)).isEqualTo(Protocol.MQTTSN);
        assertThat(d.tcp(1883, 50000)).isEqualTo(Protocol.MQTT);
        assertThat(d.tcp(8883, 50000)).isEqualTo(Protocol.TLS);
        assertThat(d.udp(40000, 40001)).isNull();
        // both ports known: the lower one decides, as tshark tries the lower port first
        assertThat(d.udp(1885, 5683)).isEqualTo(Protocol.MQTTSN);

        Bindings u = new Bindings(List.of(Binding.parse("udp.port==5683:mqttsn"), Binding.parse("tcp.port==17501:mqtt")),
                Heuristics.DEFAULTS);
        assertThat(u.udp(5683, 1885)).isEqualTo(Protocol.MQTTSN);
        assertThat(u.tcp(53522, 17501)).isEqualTo(Protocol.MQTT);
    }
}
