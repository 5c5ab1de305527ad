package org.iotpcap.dissect.mqttsn;

/**
 * The message header (spec 5.2): Length and MsgType.
 *
 * @param length the Length value: octets of the whole message, header included
 * @param headerLength 2 for the 1-octet Length form, 4 for the 3-octet form (0x01 then 2 octets)
 * @param type the MsgType octet (0x00-0xFF)
 */
public record MqttSnHeader(int length, int headerLength, int type) {

    /** True when the message used the 3-octet Length form. */
    public boolean longForm() {
        return headerLength == 4;
    }

    /** Octets after the header. */
    public int bodyLength() {
        return length - headerLength;
    }
}
