package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.table.Batch;
import org.iotpcap.table.BatchConsumer;
import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;
import org.iotpcap.table.TableSink;

/**
 * Test-only sink that keeps every row as a map from column name to value (stored columns, as the declarations
 * give them). Batches of one row, so every row is recorded as soon as it ends.
 */
final class RecordingSink implements BatchConsumer {
    final TableSink tables = new TableSink(this, 1, 1);
    private final Map<TableDeclaration, List<Map<String, Object>>> rows = new LinkedHashMap<>();

    @Override
    public void accept(Batch b) {
        for (int r = 0; r < b.rows(); r++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Column c : b.table().storedColumns()) {
                Object v = b.value(c, r);
                m.put(c.name(), v instanceof Byte x ? Integer.valueOf(x) : v);
            }
            rows.computeIfAbsent(b.table(), t -> new ArrayList<>()).add(m);
        }
        b.release();
    }

    List<Map<String, Object>> rows(TableDeclaration t) {
        return rows.getOrDefault(t, List.of());
    }
}
