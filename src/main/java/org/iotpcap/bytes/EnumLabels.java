package org.iotpcap.bytes;

import java.util.Locale;

/**
 * The lower-case name of an enum constant, as the tables and the command line spell it ({@code HALF_CLOSED} is
 * {@code half_closed}), made once per constant: a label is written into a row for every message, and the same
 * {@code String} each time also lets a batch encode it once.
 */
public final class EnumLabels {
    private static final ClassValue<String[]> LABELS = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] out = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                out[i] = ((Enum<?>) constants[i]).name().toLowerCase(Locale.ROOT);
            }
            return out;
        }
    };

    private EnumLabels() {}

    /** {@code e.name()} in lower case (null for null). */
    public static String lower(Enum<?> e) {
        return e == null ? null : LABELS.get(e.getDeclaringClass())[e.ordinal()];
    }
}
