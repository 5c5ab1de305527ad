package org.iotpcap.dissect.mqtt.internal;

import org.iotpcap.bytes.Limits;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.MqttReason;
import org.iotpcap.dissect.mqtt.MqttVariableByteInteger;

/**
 * A cursor over one control packet that never throws: the first failed read records the reason and offset,
 * every later read returns a neutral value, and the decoder checks {@link #ok()} where a value steers it.
 * Offsets are relative to the packet's first byte.
 */
public final class MqttReader {
    private final ByteView in;
    private int pos;
    private int end;
    private MqttReason reason;
    private int failOffset;
    private String detail;
    private MqttReason overrun = MqttReason.FIELD_OVERRUNS_PACKET;

    public MqttReader(ByteView packet, int start) {
        this.in = packet;
        this.pos = start;
        this.end = packet.length();
    }

    public ByteView view() {
        return in;
    }

    public int pos() {
        return pos;
    }

    public int end() {
        return end;
    }

    public int remaining() {
        return ok() ? end - pos : 0;
    }

    public boolean ok() {
        return reason == null;
    }

    /** Records the first failure; returns false so a decoder can write {@code return r.fail(...)} in tests. */
    public boolean fail(MqttReason r, int offset, String d) {
        if (reason == null) {
            reason = r;
            failOffset = offset;
            detail = d;
        }
        return false;
    }

    public <T> DecodeResult<T> failure() {
        return DecodeResult.malformed(reason, failOffset, detail);
    }

    private boolean need(int n, String what) {
        if (reason != null) {
            return false;
        }
        if (n > end - pos) {
            return fail(overrun, pos, what + " needs " + n + " bytes, "
                    + (end - pos) + " left");
        }
        return true;
    }

    public int u8(String what) {
        if (!need(1, what)) {
            return 0;
        }
        return in.u8(pos++);
    }

    public int u16(String what) {
        if (!need(2, what)) {
            return 0;
        }
        int v = in.u16(pos);
        pos += 2;
        return v;
    }

    public long u32(String what) {
        if (!need(4, what)) {
            return 0;
        }
        long v = in.u32(pos);
        pos += 4;
        return v;
    }

    /**
     * A Variable Byte Integer (5.0 §1.5.5), by {@link MqttVariableByteInteger}. The spec requires the minimum
     * number of bytes [MQTT-1.5.5-1]; a longer encoding is reported as malformed, as is a continuation bit on
     * the 4th byte. Running out of bytes first is an overrun at the missing byte.
     */
    public int varint(String what) {
        if (reason != null) {
            return 0;
        }
        int start = pos;
        int v = MqttVariableByteInteger.decode(in, pos, end);
        if (v == MqttVariableByteInteger.NEED_MORE) {
            pos = end;
            need(1, what);
            return 0;
        }
        if (v == MqttVariableByteInteger.TOO_LONG) {
            pos += MqttVariableByteInteger.MAX_BYTES;
            fail(MqttReason.BAD_VARIABLE_BYTE_INTEGER, start, what + " has a continuation bit on its 4th byte");
            return 0;
        }
        pos += MqttVariableByteInteger.length(v);
        if (!MqttVariableByteInteger.isMinimal(v)) {
            fail(MqttReason.BAD_VARIABLE_BYTE_INTEGER, start, what + " is not minimally encoded");
            return 0;
        }
        return MqttVariableByteInteger.value(v);
    }

    /**
     * A UTF-8 Encoded String (3.1.1 §1.5.3, 5.0 §1.5.4): 2-byte length then well-formed UTF-8 without U+0000.
     * Returns null after a failure.
     */
    public String utf8(String what) {
        int start = pos;
        int len = u16(what + " length");
        if (!need(len, what)) {
            return null;
        }
        for (int i = 0; i < len; i++) {
            if (in.u8(pos + i) == 0) {
                fail(MqttReason.BAD_UTF8, pos + i, what + " holds U+0000 [MQTT-1.5.3-2]");
                return null;
            }
        }
        if (!in.isValidUtf8(pos, len)) {
            fail(MqttReason.BAD_UTF8, start, what + " is not well-formed UTF-8 [MQTT-1.5.3-1]");
            return null;
        }
        String s = in.utf8(pos, len);
        pos += len;
        return s;
    }

    /** Binary Data (5.0 §1.5.6): 2-byte length then bytes, as a view. */
    public ByteView binary(String what) {
        int len = u16(what + " length");
        return bytes(len, what);
    }

    public ByteView bytes(int len, String what) {
        if (!need(len, what)) {
            return null;
        }
        ByteView v = in.slice(pos, len);
        pos += len;
        return v;
    }

    /** Bytes left to the end of the packet (or of the current limit). */
    public ByteView rest() {
        return bytes(remaining(), "payload");
    }

    /** Narrows the readable end (for a property list); returns the previous end for {@link #restoreEnd}. */
    public int limitTo(int newEnd, MqttReason overrunReason) {
        int old = end;
        end = newEnd;
        overrun = overrunReason;
        return old;
    }

    public void restoreEnd(int oldEnd) {
        end = oldEnd;
        overrun = MqttReason.FIELD_OVERRUNS_PACKET;
    }

    /** Fails with BAD_PACKET_LENGTH unless every byte was consumed. */
    public boolean expectEnd(String what) {
        if (ok() && pos != end) {
            return fail(MqttReason.BAD_PACKET_LENGTH, pos, (end - pos) + " bytes left after " + what);
        }
        return ok();
    }

    /**
     * Checks a Topic Name just read (null after a failed read): not empty unless {@code allowEmpty} (5.0, with
     * a Topic Alias) [MQTT-4.7.3-1], no wildcard character '+' or '#' [MQTT-3.3.2-2].
     *
     * @param at offset of the name, for the failure
     */
    public boolean checkTopicName(String topic, int at, boolean allowEmpty, String what) {
        if (topic == null) {
            return false;
        }
        if (topic.isEmpty() && !allowEmpty) {
            return fail(MqttReason.EMPTY_TOPIC, at, what + " is empty [MQTT-4.7.3-1]");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return fail(MqttReason.WILDCARD_IN_TOPIC_NAME, at, what + " '" + topic
                    + "' holds a wildcard [MQTT-3.3.2-2]");
        }
        return true;
    }

    /** Checks a Topic Filter just read (null after a failed read): not empty [MQTT-4.7.3-1]. */
    public boolean checkTopicFilter(String filter, int at) {
        if (filter == null) {
            return false;
        }
        if (filter.isEmpty()) {
            return fail(MqttReason.EMPTY_TOPIC, at, "empty Topic Filter [MQTT-4.7.3-1]");
        }
        return true;
    }

    /**
     * Before reading Topic Filter number {@code have + 1} of a SUBSCRIBE or UNSUBSCRIBE: fails with
     * {@link MqttReason#TOO_MANY_ITEMS} at the filter when {@code have} already reached {@code max}
     * ({@link org.iotpcap.dissect.mqtt.Limits.Mqtt#maxTopicFilters()}).
     */
    public boolean roomForTopicFilter(int have, int max) {
        if (have >= max) {
            return fail(MqttReason.TOO_MANY_ITEMS, pos, "topic filters exceed limit (" + max + ")");
        }
        return ok();
    }

    /**
     * The payload of an UNSUBSCRIBE, the same in 3.1.1 §3.10.3 and 5.0 §3.10.3: Topic Filters to the end of
     * the packet, none empty [MQTT-4.7.3-1], at least one [MQTT-3.10.3-2], at most {@code max}.
     */
    public List<String> unsubscribeFilters(int max) {
        List<String> filters = new ArrayList<>();
        while (remaining() > 0 && roomForTopicFilter(filters.size(), max)) {
            int at = pos;
            String f = utf8("Topic Filter");
            if (checkTopicFilter(f, at)) {
                filters.add(f);
            }
        }
        if (ok() && filters.isEmpty()) {
            fail(MqttReason.NO_TOPIC_FILTER, pos, "UNSUBSCRIBE without a Topic Filter [MQTT-3.10.3-2]");
        }
        return filters;
    }

    /** Text of a payload when it is well-formed UTF-8, else null. */
    public static String textOrNull(ByteView v) {
        if (v == null) {
            return null;
        }
        return v.isValidUtf8(0, v.length()) ? v.utf8(0, v.length()) : null;
    }
}
