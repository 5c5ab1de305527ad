package org.iotpcap.dissect.mqttsn;

import org.iotpcap.bytes.Limits;
import static org.iotpcap.dissect.mqttsn.MqttSnMessage.*;
import static org.iotpcap.dissect.mqttsn.MqttSnReason.*;

import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;

/**
 * Decodes the MQTT-SN v1.2 messages of one UDP datagram (MQTT For Sensor Networks, Protocol Specification
 * Version 1.2, section 5).
 *
 * <p>A datagram may carry several messages one after another; each is framed by its own Length (spec 5.2.1):
 * <pre>
 *  1-octet form:  | Length (2..255) | MsgType | variable part ... |
 *  3-octet form:  | 0x01 | Length (16 bits, big-endian) | MsgType | variable part ... |
 * </pre>
 * Length counts the whole message, itself included. A Forwarder Encapsulation (MsgType 0xFE, spec 5.5) is a
 * header whose Length ends after the Wireless Node Id; the encapsulated message follows it, framed by its own
 * Length, and becomes {@link MqttSnMessage.Encapsulated#message()}.
 *
 * <p>Two entry points. {@link #decodeAll} gives one result per message: a message whose variable part breaks
 * its type's layout is {@code Malformed} and decoding goes on with the next one (its Length still frames it);
 * when the framing itself fails (Length too small, past the datagram, cut by the snap length) that result is
 * the last. {@link #decode} is the strict form: all messages, or the first problem. Offsets in {@code Malformed}
 * are from the start of the datagram.
 *
 * <p>Reserved and unknown MsgTypes become {@link MqttSnMessage.Unknown}, not errors. Not checked (accepted as
 * sent, so the tool can report them): ProtocolId other than 0x01, ClientId outside 1-23 characters, the
 * 3-octet Length form used for a message shorter than 256 octets, flag bits a message type does not use,
 * reserved return codes. Text fields (ClientId, topic names, Will topic) are decoded as UTF-8 with malformed
 * sequences replaced by U+FFFD; PUBLISH data and Will messages are opaque bytes ({@link MqttSnData}).
 * Limits: {@link Limits.MqttSn}.
 */
public final class MqttSnDecoder {
    private MqttSnDecoder() {}

    /** The UDP port IANA assigned to MQTT-SN (and the port tshark's decode-as uses in our tests). */
    public static final int PORT = 1885;

    /** Strict: every message of the datagram, or the first thing wrong with it. */
    public static DecodeResult<List<MqttSnMessage>> decode(ByteView datagram) {
        return decode(datagram, Limits.MqttSn.DEFAULTS);
    }

    public static DecodeResult<List<MqttSnMessage>> decode(ByteView datagram, Limits.MqttSn limits) {
        List<DecodeResult<MqttSnMessage>> all = decodeAll(datagram, limits);
        List<MqttSnMessage> out = new ArrayList<>(all.size());
        for (DecodeResult<MqttSnMessage> r : all) {
            switch (r) {
                case DecodeResult.Decoded<MqttSnMessage> d -> out.add(d.value());
                case DecodeResult.Malformed<MqttSnMessage> m -> {
                    return DecodeResult.malformed(m.reason(), m.offset(), m.detail());
                }
                case DecodeResult.Truncated<MqttSnMessage> t -> {
                    return DecodeResult.truncated(t.needed(), t.captured());
                }
            }
        }
        return DecodeResult.ok(List.copyOf(out));
    }

    /** One result per message, in datagram order (never empty). */
    public static List<DecodeResult<MqttSnMessage>> decodeAll(ByteView datagram) {
        return decodeAll(datagram, Limits.MqttSn.DEFAULTS);
    }

    public static List<DecodeResult<MqttSnMessage>> decodeAll(ByteView datagram, Limits.MqttSn limits) {
        List<DecodeResult<MqttSnMessage>> out = new ArrayList<>(2);
        if (datagram.reported() == 0) {
            out.add(DecodeResult.malformed(EMPTY_DATAGRAM, 0, "datagram of 0 octets"));
            return List.copyOf(out);
        }
        int off = 0;
        while (off < datagram.reported()) {
            if (out.size() == limits.maxMessagesPerDatagram()) {
                out.add(DecodeResult.malformed(TOO_MANY_MESSAGES, off, "messages in datagram ("
                        + (out.size() + 1) + "+) exceeds limit (" + limits.maxMessagesPerDatagram() + ")"));
                break;
            }
            Step s = decodeOne(datagram, off, limits, 0);
            out.add(s.result);
            if (s.next < 0) {
                break;
            }
            off = s.next;
        }
        return List.copyOf(out);
    }

    /**
     * Strict detection, for datagrams on ports other than {@link #PORT}: true only when the whole datagram
     * (as captured, not cut by the snap length) decodes into messages of known types with no octet left over,
     * every text field is valid UTF-8, and every CONNECT carries ProtocolId 0x01. Most non-MQTT-SN payloads
     * fail the Length chain at once; what still passes is very likely MQTT-SN.
     */
    public static boolean looksLike(ByteView datagram) {
        if (datagram.isEmpty() || datagram.length() != datagram.reported()) {
            return false;
        }
        if (!(decode(datagram) instanceof DecodeResult.Decoded<List<MqttSnMessage>> d)) {
            return false;
        }
        for (MqttSnMessage m : d.value()) {
            if (!plausible(m, datagram)) {
                return false;
            }
        }
        return true;
    }

    private static boolean plausible(MqttSnMessage m, ByteView datagram) {
        return switch (m) {
            case Unknown u -> false;
            case Encapsulated e -> plausible(e.message(), datagram);
            case Connect c -> c.protocolId() == 0x01 && validText(c.clientId());
            case Register r -> validText(r.topicName());
            case PingReq p -> validText(p.clientId());
            case WillTopic w -> validText(w.willTopic());
            case WillTopicUpd w -> validText(w.willTopic());
            case Subscribe s -> !(s.topic() instanceof MqttSnTopic.Name n) || validText(n.name());
            case Unsubscribe s -> !(s.topic() instanceof MqttSnTopic.Name n) || validText(n.name());
            default -> true;
        };
    }

    private static boolean validText(String s) {
        return s.indexOf('\uFFFD') < 0;
    }

    /** A result and where the next message starts (-1: framing failed, stop). */
    private record Step(DecodeResult<MqttSnMessage> result, int next) {}

    private static Step stop(MqttSnReason reason, int offset, String detail) {
        return new Step(DecodeResult.malformed(reason, offset, detail), -1);
    }

    private static Step decodeOne(ByteView d, int off, Limits.MqttSn limits, int depth) {
        int captured = d.length() - off;
        int reported = d.reported() - off;
        // 5.2.1: Length is 1 octet, or 3 octets when the first is 0x01; MsgType follows.
        if (captured < 1) {
            return new Step(DecodeResult.truncated(2, 0), -1);
        }
        int len = d.u8(off);
        int hdr = 2;
        if (len == 0x01) {
            hdr = 4;
            if (reported < 4) {
                return stop(TOO_SHORT, off, "3-octet Length form needs 4 octets with MsgType, have " + reported);
            }
            if (captured < 3) {
                return new Step(DecodeResult.truncated(4, captured), -1);
            }
            len = d.u16(off + 1);
        } else if (reported < 2) {
            return stop(TOO_SHORT, off, "a message needs 2 octets (Length, MsgType), have " + reported);
        }
        if (len < hdr) {
            return stop(LENGTH_TOO_SMALL, off, "Length " + len + " is less than its header (" + hdr + ")");
        }
        if (len > reported) {
            return stop(LENGTH_EXCEEDS_DATAGRAM, off, "Length " + len + " exceeds the " + reported
                    + " octets left in the datagram");
        }
        if (len > captured) {
            return new Step(DecodeResult.truncated(len, captured), -1);
        }
        int type = d.u8(off + hdr - 1);
        MqttSnHeader h = new MqttSnHeader(len, hdr, type);
        ByteView body = d.slice(off + hdr, len - hdr);
        int bodyOff = off + hdr;
        if (type == ENCAPSULATED) {
            return encapsulated(d, off, h, body, limits, depth);
        }
        DecodeResult<MqttSnMessage> r = body(h, body, bodyOff, limits);
        return new Step(r, off + len);
    }

    /** 5.5: | Length | 0xFE | Ctrl | Wireless Node Id ... | encapsulated MQTT-SN message | */
    private static Step encapsulated(ByteView d, int off, MqttSnHeader h, ByteView body, Limits.MqttSn limits,
            int depth) {
        if (body.length() < 1) {
            return stop(BAD_LENGTH_FOR_TYPE, off, "ENCAPSULATED Length " + h.length()
                    + " leaves no room for Ctrl (minimum " + (h.headerLength() + 1) + ")");
        }
        int inner = off + h.length();
        if (inner >= d.reported()) {
            return stop(ENCAPSULATED_MESSAGE_MISSING, inner, "no message after the encapsulation header");
        }
        if (depth + 1 > limits.maxEncapsulationDepth()) {
            return stop(ENCAPSULATION_TOO_DEEP, off, "encapsulation depth (" + (depth + 1)
                    + ") exceeds limit (" + limits.maxEncapsulationDepth() + ")");
        }
        Step s = decodeOne(d, inner, limits, depth + 1);
        if (!(s.result instanceof DecodeResult.Decoded<MqttSnMessage> ok)) {
            return s;
        }
        ByteView node = ByteView.of(body.toByteArray(1, body.length() - 1));
        return new Step(DecodeResult.ok(new Encapsulated(h, body.u8(0), node, ok.value())), s.next);
    }

    private static DecodeResult<MqttSnMessage> body(MqttSnHeader h, ByteView b, int at, Limits.MqttSn limits) {
        int n = b.length();
        return switch (h.type()) {
            case ADVERTISE -> n != 3 ? bad(h, at, "exactly 5") // GwId + Duration(2)
                    : ok(new Advertise(h, b.u8(0), b.u16(1)));
            case SEARCHGW -> n != 1 ? bad(h, at, "exactly 3") // Radius
                    : ok(new SearchGw(h, b.u8(0)));
            case GWINFO -> n < 1 ? bad(h, at, "at least 3") // GwId + GwAdd (optional)
                    : ok(new GwInfo(h, b.u8(0), copy(b, 1, n - 1)));
            case CONNECT -> n < 4 ? bad(h, at, "at least 6") // Flags + ProtocolId + Duration(2) + ClientId
                    : ok(new Connect(h, new MqttSnFlags(b.u8(0)), b.u8(1), b.u16(2), b.utf8(4, n - 4)));
            case CONNACK -> n != 1 ? bad(h, at, "exactly 3") // ReturnCode
                    : ok(new ConnAck(h, b.u8(0)));
            case WILLTOPICREQ -> n != 0 ? bad(h, at, "exactly 2") : ok(new WillTopicReq(h));
            // 5.4.8: the empty WILLTOPIC is exactly 2 octets; otherwise Flags + WillTopic
            case WILLTOPIC -> n == 0 ? ok(new WillTopic(h, null, ""))
                    : ok(new WillTopic(h, new MqttSnFlags(b.u8(0)), b.utf8(1, n - 1)));
            case WILLMSGREQ -> n != 0 ? bad(h, at, "exactly 2") : ok(new WillMsgReq(h));
            case WILLMSG -> ok(new WillMsg(h, MqttSnData.of(b, limits.maxStoredDataBytes())));
            case REGISTER -> n < 4 ? bad(h, at, "at least 6") // TopicId(2) + MsgId(2) + TopicName
                    : ok(new Register(h, b.u16(0), b.u16(2), b.utf8(4, n - 4)));
            case REGACK -> n != 5 ? bad(h, at, "exactly 7") // TopicId(2) + MsgId(2) + ReturnCode
                    : ok(new RegAck(h, b.u16(0), b.u16(2), b.u8(4)));
            case PUBLISH -> n < 5 ? bad(h, at, "at least 7") // Flags + TopicId(2) + MsgId(2) + Data
                    : ok(new Publish(h, new MqttSnFlags(b.u8(0)), b.u16(1), b.u16(3),
                            MqttSnData.of(b.slice(5), limits.maxStoredDataBytes())));
            case PUBACK -> n != 5 ? bad(h, at, "exactly 7") // TopicId(2) + MsgId(2) + ReturnCode
                    : ok(new PubAck(h, b.u16(0), b.u16(2), b.u8(4)));
            case PUBCOMP -> n != 2 ? bad(h, at, "exactly 4") : ok(new PubComp(h, b.u16(0)));
            case PUBREC -> n != 2 ? bad(h, at, "exactly 4") : ok(new PubRec(h, b.u16(0)));
            case PUBREL -> n != 2 ? bad(h, at, "exactly 4") : ok(new PubRel(h, b.u16(0)));
            case SUBSCRIBE, UNSUBSCRIBE -> subscribe(h, b, at);
            case SUBACK -> n != 6 ? bad(h, at, "exactly 8") // Flags + TopicId(2) + MsgId(2) + ReturnCode
                    : ok(new SubAck(h, new MqttSnFlags(b.u8(0)), b.u16(1), b.u16(3), b.u8(5)));
            case UNSUBACK -> n != 2 ? bad(h, at, "exactly 4") : ok(new UnsubAck(h, b.u16(0)));
            case PINGREQ -> ok(new PingReq(h, b.utf8(0, n)));
            case PINGRESP -> n != 0 ? bad(h, at, "exactly 2") : ok(new PingResp(h));
            // 5.4.22: Duration is present only when the client goes to sleep
            case DISCONNECT -> n == 0 ? ok(new Disconnect(h, -1))
                    : n == 2 ? ok(new Disconnect(h, b.u16(0))) : bad(h, at, "2 or 4");
            case WILLTOPICUPD -> n == 0 ? ok(new WillTopicUpd(h, null, ""))
                    : ok(new WillTopicUpd(h, new MqttSnFlags(b.u8(0)), b.utf8(1, n - 1)));
            case WILLTOPICRESP -> n != 1 ? bad(h, at, "exactly 3") : ok(new WillTopicResp(h, b.u8(0)));
            case WILLMSGUPD -> ok(new WillMsgUpd(h, MqttSnData.of(b, limits.maxStoredDataBytes())));
            case WILLMSGRESP -> n != 1 ? bad(h, at, "exactly 3") : ok(new WillMsgResp(h, b.u8(0)));
            default -> ok(new Unknown(h, copy(b, 0, n)));
        };
    }

    /**
     * 5.4.16 / 5.4.18: | Flags | MsgId (2) | TopicName (TopicIdType 0b00) or TopicId (0b01, 0b10: 2 octets) |
     */
    private static DecodeResult<MqttSnMessage> subscribe(MqttSnHeader h, ByteView b, int at) {
        int n = b.length();
        if (n < 3) {
            return bad(h, at, "at least 5");
        }
        MqttSnFlags flags = new MqttSnFlags(b.u8(0));
        MqttSnTopicIdType t = flags.topicIdType();
        MqttSnTopic topic;
        switch (t) {
            case NORMAL -> topic = new MqttSnTopic.Name(b.utf8(3, n - 3));
            case PREDEFINED, SHORT_NAME -> {
                if (n != 5) {
                    return bad(h, at, "exactly 7 with TopicIdType " + t);
                }
                topic = topicOfId(t, b.u16(3));
            }
            default -> topic = new MqttSnTopic.Reserved(b.hex(3, n - 3));
        }
        int msgId = b.u16(1);
        return ok(h.type() == SUBSCRIBE ? new Subscribe(h, flags, msgId, topic) : new Unsubscribe(h, flags, msgId, topic));
    }

    /** Reads a 2-octet TopicId field as its TopicIdType says. */
    static MqttSnTopic topicOfId(MqttSnTopicIdType t, int id) {
        return switch (t) {
            case NORMAL -> new MqttSnTopic.NormalId(id);
            case PREDEFINED -> new MqttSnTopic.PredefinedId(id);
            case SHORT_NAME -> new MqttSnTopic.ShortName(
                    new String(new byte[] {(byte) (id >> 8), (byte) id}, java.nio.charset.StandardCharsets.UTF_8));
            case RESERVED -> new MqttSnTopic.Reserved(String.format("%04x", id));
        };
    }

    private static ByteView copy(ByteView b, int off, int len) {
        return len == 0 ? ByteView.empty() : ByteView.of(b.toByteArray(off, len));
    }

    private static DecodeResult<MqttSnMessage> ok(MqttSnMessage m) {
        return DecodeResult.ok(m);
    }

    private static DecodeResult<MqttSnMessage> bad(MqttSnHeader h, int bodyOffset, String expected) {
        return DecodeResult.malformed(BAD_LENGTH_FOR_TYPE, bodyOffset - h.headerLength(),
                MqttSnMessage.typeName(h.type()) + " Length " + h.length() + ", expected " + expected);
    }
}
