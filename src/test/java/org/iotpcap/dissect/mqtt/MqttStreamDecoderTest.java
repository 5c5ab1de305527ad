package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.dissect.mqtt.MqttBytes.*;

import java.util.ArrayList;
import java.util.List;
import org.iotpcap.dissect.mqtt.MqttMessage.*;
import org.iotpcap.dissect.mqtt.decode.MqttStreamDecoder;
import org.junit.jupiter.api.Test;

class MqttStreamDecoderTest {

    static final class Recorder implements MqttSink {
        final List<MqttFramed> messages = new ArrayList<>();
        final List<String> malformed = new ArrayList<>();

        @Override
        public void onMessage(MqttFramed m) {
            messages.add(m);
        }

        @Override
        public void onMalformed(boolean fromClient, long frame, MqttReason reason, long offset, String detail) {
            malformed.add(reason + "@" + frame + "/" + offset);
        }

        List<String> types() {
            return messages.stream().map(MqttFramed::typeName).toList();
        }
    }

    static final byte[] CONNECT = cat(0x10, 14, 0x00, 0x04, "MQTT", 0x04, 0x02, 0x00, 0x3c, 0x00, 0x02, "id");
    static final byte[] SUBSCRIBE = cat(0x82, 8, 0x00, 0x01, 0x00, 0x03, "a/b", 0x01);
    static final byte[] PUBLISH = cat(0x32, 7, 0x00, 0x01, "t", 0x00, 0x05, "hi");
    static final byte[] PINGREQ = b(0xc0, 0x00);
    static final byte[] DISCONNECT = b(0xe0, 0x00);
    static final byte[] STREAM = cat(CONNECT, SUBSCRIBE, PUBLISH, PINGREQ, DISCONNECT);
    static final List<String> TYPES = List.of("CONNECT", "SUBSCRIBE", "PUBLISH", "PINGREQ", "DISCONNECT");

    @Test
    void severalPacketsInOneChunk() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        d.feed(true, STREAM, 0, STREAM.length, 7, 700);
        assertThat(r.types()).isEqualTo(TYPES);
        assertThat(r.messages).allSatisfy(m -> {
            assertThat(m.startFrame()).isEqualTo(7);
            assertThat(m.endFrame()).isEqualTo(7);
            assertThat(m.fromClient()).isTrue();
            assertThat(m.protocolLevel()).isEqualTo(4);
        });
        assertThat(r.messages).extracting(MqttFramed::streamOffset).containsExactly(0L, 16L, 26L, 35L, 37L);
        assertThat(r.messages.get(2).totalLength()).isEqualTo(9);
        assertThat(r.messages.get(2).remainingLength()).isEqualTo(7);
        assertThat(r.malformed).isEmpty();
        assertThat(d.messages()).isEqualTo(5);
    }

    @Test
    void everySplitPoint() {
        for (int cut = 0; cut <= STREAM.length; cut++) {
            Recorder r = new Recorder();
            MqttStreamDecoder d = new MqttStreamDecoder(r);
            d.feed(true, STREAM, 0, cut, 1, 10);
            d.feed(true, STREAM, cut, STREAM.length - cut, 2, 20);
            assertThat(r.types()).as("cut at " + cut).isEqualTo(TYPES);
            for (MqttFramed m : r.messages) {
                long first = m.streamOffset();
                long last = first + m.totalLength() - 1;
                assertThat(m.startFrame()).as("cut " + cut).isEqualTo(first < cut ? 1 : 2);
                assertThat(m.endFrame()).as("cut " + cut).isEqualTo(last < cut ? 1 : 2);
                assertThat(m.startNanos()).isEqualTo(first < cut ? 10 : 20);
                assertThat(m.endNanos()).isEqualTo(last < cut ? 10 : 20);
            }
            assertThat(r.malformed).isEmpty();
        }
    }

    @Test
    void oneByteAtATime() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        for (int i = 0; i < STREAM.length; i++) {
            d.feed(true, STREAM, i, 1, 100 + i, i);
        }
        assertThat(r.types()).isEqualTo(TYPES);
        for (MqttFramed m : r.messages) {
            assertThat(m.startFrame()).isEqualTo(100 + m.streamOffset());
            assertThat(m.endFrame()).isEqualTo(100 + m.streamOffset() + m.totalLength() - 1);
        }
        Publish p = (Publish) r.messages.get(2).message();
        assertThat(p.payloadText()).isEqualTo("hi");
    }

    @Test
    void longRemainingLengthSplitInsideTheHeader() {
        byte[] big = new byte[3 + 200];
        big[0] = 0x30;
        big[1] = (byte) 0xc8; // 200 = 0x48 | 0x80, then 0x01
        big[2] = 0x01;
        big[4] = 1;
        big[5] = 't';
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        d.feed(false, big, 0, 2, 1, 0);
        d.feed(false, big, 2, 100, 2, 0);
        d.feed(false, big, 102, big.length - 102, 3, 0);
        d.close(); // without a CONNECT, a packet both versions parse is held until the level is known or the end
        assertThat(r.messages).singleElement().satisfies(m -> {
            assertThat(m.startFrame()).isEqualTo(1);
            assertThat(m.endFrame()).isEqualTo(3);
            assertThat(m.remainingLength()).isEqualTo(200);
            assertThat(((Publish) m.message()).payload().length()).isEqualTo(197);
        });
    }

    @Test
    void connectLevelGovernsBothDirections() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        byte[] puback = b(0x40, 0x03, 0x00, 0x01, 0x10); // v5: reason code 0x10; 3.1.1: wrong length
        byte[] connect311 = cat(0x10, 12, 0x00, 0x04, "MQTT", 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00);
        d.feed(true, connect311, 0, connect311.length, 1, 0);
        d.feed(false, puback, 0, puback.length, 2, 0);
        assertThat(r.malformed).containsExactly("BAD_PACKET_LENGTH@2/4");
        byte[] connect5 = cat(0x10, 13, 0x00, 0x04, "MQTT", 0x05, 0x02, 0x00, 0x3c, 0x00, 0x00, 0x00);
        d.feed(true, connect5, 0, connect5.length, 3, 0);
        d.feed(false, puback, 0, puback.length, 4, 0);
        assertThat(d.protocolLevel()).isEqualTo(5);
        assertThat(d.levelInferred()).isFalse();
        assertThat(r.messages.get(2).message()).isEqualTo(new Puback(1, 0x10, MqttProperties.NONE));
        assertThat(r.messages.get(2).protocolLevel()).isEqualTo(5);
        assertThat(r.messages.get(2).levelInferred()).isFalse();
    }

    @Test
    void midStreamLevelInferredFromAPacketOnlyOneVersionParses() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        // 5.0 CONNACK, Remaining Length 6: flags, reason code, Property Length 3, Topic Alias Maximum (0x22) 10
        byte[] connack5 = b(0x20, 0x06, 0x00, 0x00, 0x03, 0x22, 0x00, 0x0a);
        // 5.0 PUBLISH QoS 0 "t", Property Length 0, payload ff d8: read as 3.1.1 it would start with 00
        byte[] publish5 = b(0x30, 0x06, 0x00, 0x01, 't', 0x00, 0xff, 0xd8);
        d.feed(false, PINGREQ, 0, 2, 1, 0); // both versions parse it: held
        assertThat(r.messages).isEmpty();
        d.feed(false, connack5, 0, connack5.length, 2, 0);
        d.feed(false, publish5, 0, publish5.length, 3, 0);
        assertThat(r.malformed).isEmpty();
        assertThat(r.types()).containsExactly("PINGREQ", "CONNACK", "PUBLISH");
        assertThat(r.messages).allSatisfy(m -> {
            assertThat(m.protocolLevel()).isEqualTo(5);
            assertThat(m.levelInferred()).isTrue();
        });
        Connack c = (Connack) r.messages.get(1).message();
        assertThat(c.properties().list()).singleElement().satisfies(p -> assertThat(p.id()).isEqualTo(0x22));
        Publish p = (Publish) r.messages.get(2).message();
        assertThat(p.payload().length()).isEqualTo(2);
        assertThat(p.payload().u8(0)).isEqualTo(0xff);
        assertThat(d.protocolLevel()).isEqualTo(5);
        assertThat(d.levelInferred()).isTrue();
    }

    @Test
    void midStream311InferredFromAPublishThatIsNot5() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        // payload "OFF": read as 5.0, 'O' (79) would be a Property Length running past the packet
        byte[] publish = cat(0x30, 6, 0x00, 0x01, "t", "OFF");
        d.feed(true, PINGREQ, 0, 2, 1, 0);
        d.feed(true, publish, 0, publish.length, 2, 0);
        assertThat(r.types()).containsExactly("PINGREQ", "PUBLISH");
        assertThat(r.messages).allSatisfy(m -> {
            assertThat(m.protocolLevel()).isEqualTo(4);
            assertThat(m.levelInferred()).isTrue();
        });
        assertThat(((Publish) r.messages.get(1).message()).payloadText()).isEqualTo("OFF");
    }

    @Test
    void undecidedPacketsReleasedWithTheUnknownLevelAtTheHoldLimit() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        for (int i = 0; i <= MqttStreamDecoder.MAX_HELD_PACKETS; i++) {
            d.feed(true, PINGREQ, 0, 2, 1 + i, 0);
        }
        assertThat(r.messages).hasSize(MqttStreamDecoder.MAX_HELD_PACKETS);
        assertThat(r.messages).allSatisfy(m -> {
            assertThat(m.protocolLevel()).isZero();
            assertThat(m.levelInferred()).isFalse();
        });
        assertThat(r.malformed).containsExactly("LEVEL_NOT_INFERRED@" + (MqttStreamDecoder.MAX_HELD_PACKETS + 1)
                + "/" + 2L * MqttStreamDecoder.MAX_HELD_PACKETS);
        d.close();
        assertThat(r.messages).hasSize(MqttStreamDecoder.MAX_HELD_PACKETS + 1);
    }

    @Test
    void topicAliasResolvedPerDirection() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        byte[] connect5 = cat(0x10, 13, 0x00, 0x04, "MQTT", 0x05, 0x02, 0x00, 0x3c, 0x00, 0x00, 0x00);
        byte[] bind = cat(0x30, 10, 0x00, 0x03, "a/b", 0x03, 0x23, 0x00, 0x02, "x");   // alias 2 = a/b
        byte[] use = cat(0x30, 7, 0x00, 0x00, 0x03, 0x23, 0x00, 0x02, "y");           // empty topic, alias 2
        d.feed(true, connect5, 0, connect5.length, 1, 0);
        d.feed(true, bind, 0, bind.length, 2, 0);
        d.feed(true, use, 0, use.length, 3, 0);
        d.feed(false, use, 0, use.length, 4, 0);
        Publish fromClient = (Publish) r.messages.get(2).message();
        Publish fromServer = (Publish) r.messages.get(3).message();
        assertThat(fromClient.topic()).isEmpty();
        assertThat(fromClient.resolvedTopic()).isEqualTo("a/b");
        assertThat(fromServer.resolvedTopic()).as("aliases are per direction").isNull();
    }

    @Test
    void badRemainingLengthStopsTheDirectionOnce() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        byte[] bad = b(0x30, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00);
        d.feed(true, bad, 0, bad.length, 1, 0);
        d.feed(true, STREAM, 0, STREAM.length, 2, 0);
        d.feed(false, PINGREQ, 0, 2, 3, 0);
        d.close();
        assertThat(r.malformed).containsExactly("BAD_REMAINING_LENGTH@1/4");
        assertThat(d.stopped(true)).isTrue();
        assertThat(r.types()).containsExactly("PINGREQ");
    }

    @Test
    void packetOverTheLimitStopsTheDirection() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r, new Limits.Mqtt(8, 16, 16, 16), false);
        d.feed(true, STREAM, 0, STREAM.length, 1, 0);
        assertThat(r.malformed).containsExactly("PACKET_TOO_LARGE@1/0");
        assertThat(r.messages).isEmpty();
    }

    @Test
    void malformedPacketDoesNotStopFraming() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        byte[] s = cat(CONNECT, b(0x41, 0x02, 0x00, 0x01), PINGREQ); // 3.1.1 PUBACK with flags 0001
        d.feed(true, s, 0, s.length, 1, 0);
        assertThat(r.malformed).containsExactly("BAD_FIXED_HEADER_FLAGS@1/16");
        assertThat(r.types()).containsExactly("CONNECT", "PINGREQ");
    }

    @Test
    void gapThenResyncAtAChunkOfWholePackets() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        d.feed(true, CONNECT, 0, 5, 1, 0);          // a packet in progress...
        d.gap(true, 11, 2);                         // ...whose rest is missing
        d.feed(true, PUBLISH, 3, 6, 3, 0);          // tail of a packet: skipped
        d.feed(true, STREAM, 16, STREAM.length - 16, 4, 0); // whole packets: decoding resumes
        assertThat(r.malformed).containsExactly("STREAM_GAP@2/5");
        assertThat(r.types()).containsExactly("SUBSCRIBE", "PUBLISH", "PINGREQ", "DISCONNECT");
        assertThat(r.messages.get(0).streamOffset()).isEqualTo(22);
    }

    @Test
    void closeReportsAnIncompletePacket() {
        Recorder r = new Recorder();
        MqttStreamDecoder d = new MqttStreamDecoder(r);
        d.feed(false, PUBLISH, 0, 4, 9, 0);
        d.close();
        assertThat(r.malformed).containsExactly("INCOMPLETE_AT_END@9/0");
        d.close();
        assertThat(r.malformed).hasSize(1);
    }
}
