package org.iotpcap.analysis;

/** JDBC values as plain Java values for printing and JSON (DuckDB blobs and timestamps become text). */
public final class SqlValues {
    private SqlValues() {}

    public static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof java.sql.Blob b) {
            try {
                return org.iotpcap.bytes.Bytes.hex(b.getBytes(1, (int) b.length()), 0, (int) b.length());
            } catch (java.sql.SQLException e) {
                return "<blob>";
            }
        }
        if (v instanceof byte[] bytes) {
            return org.iotpcap.bytes.Bytes.hex(bytes, 0, bytes.length);
        }
        return v.toString();
    }
}
