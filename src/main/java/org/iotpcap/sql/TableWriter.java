package org.iotpcap.sql;

import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.iotpcap.semantic.ModelSink;
import org.iotpcap.semantic.Table;

/**
 * Writes the semantic model's rows into DuckDB through one Appender per table (bulk loading, no INSERTs).
 * Close it to flush; an SQL error (a bug of ours: a row that does not fit its table) is rethrown unchecked.
 */
public final class TableWriter implements ModelSink, AutoCloseable {
    private final Database db;
    private final Map<Table, DuckDBAppender> appenders = new EnumMap<>(Table.class);

    public TableWriter(Database db) {
        this.db = db;
    }

    private DuckDBAppender appender(Table t) throws SQLException {
        DuckDBAppender a = appenders.get(t);
        if (a == null) {
            a = db.appender(t.sqlName());
            appenders.put(t, a);
        }
        return a;
    }

    @Override
    public void row(Table table, Object... values) {
        try {
            DuckDBAppender a = appender(table);
            a.beginRow();
            for (Object v : values) {
                switch (v) {
                    case null -> a.appendNull();
                    case String s -> a.append(s);
                    case Long l -> a.append(l.longValue());
                    case Integer i -> a.append(i.intValue());
                    case Boolean b -> a.append(b.booleanValue());
                    case Double d -> a.append(d.doubleValue());
                    case byte[] bytes -> a.append(bytes);
                    default -> throw new IllegalArgumentException("cannot store " + v.getClass() + " in " + table.sqlName());
                }
            }
            a.endRow();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot append to " + table.sqlName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void frame(long frame, long nanos, int iface, int capLen, long len, int ipVersion, String src, String dst,
                      String transport, int srcPort, int dstPort, long stream, String protocol) {
        try {
            DuckDBAppender a = appender(Table.FRAMES);
            a.beginRow();
            a.append(frame);
            a.append(nanos);
            a.append(iface);
            a.append(capLen);
            a.append(len);
            if (ipVersion == 0) {
                a.appendNull();
                a.appendNull();
                a.appendNull();
            } else {
                a.append((byte) ipVersion);
                a.append(src);
                a.append(dst);
            }
            if (transport == null) {
                a.appendNull();
                a.appendNull();
                a.appendNull();
            } else {
                a.append(transport);
                a.append(srcPort);
                a.append(dstPort);
            }
            if (stream < 0) {
                a.appendNull();
            } else {
                a.append(stream);
            }
            if (protocol == null) {
                a.appendNull();
            } else {
                a.append(protocol);
            }
            a.endRow();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot append to frames: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (DuckDBAppender a : appenders.values()) {
            try {
                a.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        appenders.clear();
        if (first != null) {
            throw first;
        }
    }
}
