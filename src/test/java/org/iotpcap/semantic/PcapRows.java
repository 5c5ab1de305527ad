package org.iotpcap.semantic;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.RawPcap;

/**
 * The rows of a query on the tables of a small pcap written by a test: integers as Long (whatever their SQL width),
 * other values as DuckDB returns them; {@link #row} writes an expected row the same way.
 */
final class PcapRows {
    private PcapRows() {}

    static List<List<Object>> query(RawPcap pcap, Path dir, String sql) throws Exception {
        Path file = dir.resolve("t.pcap");
        pcap.write(file);
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(file.toString(), new CaptureLoader.Options(Bindings.defaults(), false), db);
            List<List<Object>> rows = new ArrayList<>();
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<Object> r = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        r.add(v instanceof Number n && !(v instanceof Double) ? (Object) n.longValue() : v);
                    }
                    rows.add(r);
                }
            }
            return rows;
        }
    }

    static List<Object> row(Object... values) {
        List<Object> r = new ArrayList<>();
        for (Object v : values) {
            r.add(v instanceof Integer i ? (Object) i.longValue() : v);
        }
        return r;
    }
}
