package org.iotpcap.semantic;

/**
 * Where the semantic model writes its rows. Values are given in the table's column order (docs/tables.md),
 * leaving out generated columns; each is null, a Boolean, Integer, Long, Double, String or byte[].
 */
public interface ModelSink {
    void row(Table table, Object... values);

    /** The frames table, without boxing: one call per frame. */
    void frame(long frame, long nanos, int iface, int capLen, long len, int ipVersion, String src, String dst,
               String transport, int srcPort, int dstPort, long stream, String protocol);
}
