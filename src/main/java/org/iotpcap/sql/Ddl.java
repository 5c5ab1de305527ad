package org.iotpcap.sql;

import java.util.StringJoiner;
import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The DuckDB DDL and INSERT column lists of a table, derived from its declaration. */
final class Ddl {
    private Ddl() {}

    static String createTable(TableDeclaration t) {
        return createTable(t, t.name(), java.util.List.of());
    }

    /** {@link #createTable(TableDeclaration)} under another name, with more columns ({@code "name TYPE"}) after. */
    static String createTable(TableDeclaration t, String name, java.util.List<String> more) {
        StringJoiner cols = new StringJoiner(", ", "CREATE TABLE " + name + " (", ")");
        for (Column c : t.columns()) {
            if (c instanceof Column.Time time) {
                cols.add(c.name() + " TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(" + time.source().name()
                        + ")) VIRTUAL");
            } else {
                cols.add(c.name() + " " + c.type().name());
            }
        }
        more.forEach(cols::add);
        return cols.toString();
    }

    /** {@code a, b, c}: the stored columns, in batch order. */
    static String storedColumns(TableDeclaration t) {
        return names(t.storedColumns());
    }

    /** {@code a, b, c}: the columns' names, in the order given. */
    static String names(java.util.List<Column> columns) {
        StringJoiner cols = new StringJoiner(", ");
        for (Column c : columns) {
            cols.add(c.name());
        }
        return cols.toString();
    }
}
