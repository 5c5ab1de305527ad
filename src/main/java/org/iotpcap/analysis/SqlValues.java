package org.iotpcap.analysis;

import java.util.HexFormat;

/** JDBC values as plain Java values for printing and JSON (DuckDB blobs as lowercase hex, timestamps as text). */
public final class SqlValues {
    private SqlValues() {}

    private static final HexFormat HEX = HexFormat.of();

    public static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof java.sql.Blob b) {
            try {
                return HEX.formatHex(b.getBytes(1, (int) b.length()));
            } catch (java.sql.SQLException e) {
                return "<blob>";
            }
        }
        if (v instanceof byte[] bytes) {
            return HEX.formatHex(bytes);
        }
        return v.toString();
    }
}
