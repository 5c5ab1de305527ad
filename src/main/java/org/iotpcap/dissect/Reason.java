package org.iotpcap.dissect;

/** Why a message is malformed: implemented by each protocol's reason enum (e.g. {@code MqttReason}). */
public interface Reason {
    /** Stable snake_case code, as it appears in the {@code malformed} table. */
    default String code() {
        return org.iotpcap.bytes.EnumLabels.lower((Enum<?>) this);
    }
}
