package org.iotpcap.dissect.mqttsn;

/** ReturnCode values (spec 5.3.10); 0x04-0xFF are reserved. */
public enum MqttSnReturnCode {
    ACCEPTED(0x00, "Accepted"),
    REJECTED_CONGESTION(0x01, "Rejected: congestion"),
    REJECTED_INVALID_TOPIC_ID(0x02, "Rejected: invalid topic ID"),
    REJECTED_NOT_SUPPORTED(0x03, "Rejected: not supported"),
    RESERVED(-1, "Reserved");

    private final int code;
    private final String label;

    MqttSnReturnCode(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The code for a value on the wire; {@link #RESERVED} for 0x04-0xFF. */
    public static MqttSnReturnCode of(int value) {
        return switch (value) {
            case 0x00 -> ACCEPTED;
            case 0x01 -> REJECTED_CONGESTION;
            case 0x02 -> REJECTED_INVALID_TOPIC_ID;
            case 0x03 -> REJECTED_NOT_SUPPORTED;
            default -> RESERVED;
        };
    }

    /** The wire value, or -1 for {@link #RESERVED}. */
    public int code() {
        return code;
    }

    /** The spec's wording, e.g. "Rejected: congestion". */
    public String label() {
        return label;
    }
}
