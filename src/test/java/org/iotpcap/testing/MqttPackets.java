package org.iotpcap.testing;

import static org.iotpcap.testing.Packets.bytes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Test-only MQTT control packets written from the MQTT 3.1.1 (section 3) and 5.0 (section 3) packet layouts, to be
 * carried in {@link RawPcap} TCP conversations.
 * Fixed header: type << 4 | flags, then the Remaining Length as a variable byte integer (3.1.1 2.2.3).
 */
public final class MqttPackets {
    private MqttPackets() {}

    public static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int len = body.length;
        do {
            int b = len % 128;
            len /= 128;
            out.write(len > 0 ? b | 0x80 : b);
        } while (len > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A UTF-8 string or binary field: 2-byte length then the bytes (3.1.1 1.5.3). */
    public static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return bytes(b.length >> 8, b.length & 0xFF, b);
    }

    /**
     * CONNECT (3.1.1 3.1 / 5.0 3.1): protocol name "MQTT", level 4 or 5, flags (bit 7 user name, 6 password,
     * 5 will retain, 4-3 will QoS, 2 will flag, 1 clean session), keep alive 60; MQTT 5 adds a property length 0
     * after the keep alive and before the will topic. Will, user and password are left out when null.
     */
    public static byte[] connect(int level, String clientId, String willTopic, String willPayload, String user, String password) {
        int flags = 0x02;
        if (willTopic != null) {
            flags |= 0x04;
        }
        if (user != null) {
            flags |= 0x80;
        }
        if (password != null) {
            flags |= 0x40;
        }
        byte[] body = bytes(str("MQTT"), level, flags, 0x00, 0x3C);
        if (level == 5) {
            body = bytes(body, 0x00);
        }
        body = bytes(body, str(clientId));
        if (willTopic != null) {
            body = bytes(body, level == 5 ? bytes(0x00) : new byte[0], str(willTopic), str(willPayload));
        }
        if (user != null) {
            body = bytes(body, str(user));
        }
        if (password != null) {
            body = bytes(body, str(password));
        }
        return packet(0x10, body);
    }

    public static byte[] connect(String clientId) {
        return connect(4, clientId, null, null, null, null);
    }

    /** CONNACK accepted: session present 0, return code 0 (MQTT 5: reason 0 and property length 0). */
    public static byte[] connack(int level) {
        return level == 5 ? packet(0x20, bytes(0x00, 0x00, 0x00)) : packet(0x20, bytes(0x00, 0x00));
    }

    /** SUBSCRIBE (3.1.1 3.8): fixed header flags 0010, packet id, then filter + requested QoS per entry. */
    public static byte[] subscribe(int packetId, int qos, String... filters) {
        byte[] body = bytes(packetId >> 8, packetId & 0xFF);
        for (String f : filters) {
            body = bytes(body, str(f), qos);
        }
        return packet(0x82, body);
    }

    /** SUBACK (3.1.1 3.9): packet id and one return code per filter (0x80 = failure). */
    public static byte[] suback(int packetId, int... codes) {
        byte[] body = bytes(packetId >> 8, packetId & 0xFF);
        for (int c : codes) {
            body = bytes(body, c);
        }
        return packet(0x90, body);
    }

    /** UNSUBSCRIBE (3.1.1 3.10): flags 0010, packet id, filters. */
    public static byte[] unsubscribe(int packetId, String... filters) {
        byte[] body = bytes(packetId >> 8, packetId & 0xFF);
        for (String f : filters) {
            body = bytes(body, str(f));
        }
        return packet(0xA2, body);
    }

    /** PUBLISH QoS 0 (3.1.1 3.3): flags DUP=0 QoS=0 RETAIN, topic, payload (no packet id at QoS 0). */
    public static byte[] publish(String topic, String payload) {
        return packet(0x30, bytes(str(topic), payload));
    }

    /** PUBLISH QoS 0 in MQTT 5: the same with a property length 0 after the topic (5.0 3.3.2.3). */
    public static byte[] publish5(String topic, String payload) {
        return packet(0x30, bytes(str(topic), 0x00, payload));
    }

    /** DISCONNECT (3.1.1 3.14): no variable header. */
    public static byte[] disconnect() {
        return packet(0xE0, new byte[0]);
    }

    /** MQTT 5 DISCONNECT with a reason code and property length 0 (5.0 3.14.2). */
    public static byte[] disconnect5(int reason) {
        return packet(0xE0, bytes(reason, 0x00));
    }

    public static byte[] pingreq() {
        return packet(0xC0, new byte[0]);
    }
}
