package org.iotpcap.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A table, declared once: its name, its meaning and its typed columns in order, each with its one-line meaning.
 * The DDL, the row writers, the columnar batches (and so the Arrow and Spark schemas) and the column lists of
 * docs/tables.md all derive from the declaration, the way a Zeek log is declared once as a record of
 * {@code &log} fields.
 *
 * <p>A declaration is a subclass whose final fields are its columns, made by the factory methods below in
 * declaration order:
 * <pre>{@code
 * public final class Malformed extends TableDeclaration {
 *     public static final Malformed T = new Malformed();
 *     public final Column.Int64 frame = int64("frame", "the frame where the record was rejected");
 *     public final Column.Text reason = text("reason", "stable snake_case code");
 *     private Malformed() { super("malformed", "Every record a layer rejected, and every limit hit."); }
 * }
 * }</pre>
 */
public abstract class TableDeclaration {
    private final String name;
    private final String meaning;
    private final List<Column> columns = new ArrayList<>();
    private final List<Column> stored = new ArrayList<>();
    private Column.Text capture;

    protected TableDeclaration(String name, String meaning) {
        this.name = name;
        this.meaning = meaning;
    }

    /** The SQL name (stable snake_case). */
    public final String name() {
        return name;
    }

    public final String meaning() {
        return meaning;
    }

    /** Every column in DDL order, generated ones included. */
    public final List<Column> columns() {
        return Collections.unmodifiableList(columns);
    }

    /** The columns a row writes, in batch order ({@link Column#slot()}). */
    public final List<Column> storedColumns() {
        return Collections.unmodifiableList(stored);
    }

    public final Column column(String columnName) {
        for (Column c : columns) {
            if (c.name().equals(columnName)) {
                return c;
            }
        }
        throw new IllegalArgumentException("table " + name + " has no column " + columnName);
    }

    private <C extends Column> C add(C c) {
        for (Column old : columns) {
            if (old.name().equals(c.name())) {
                throw new IllegalStateException("column " + c.name() + " declared twice in " + name);
            }
        }
        columns.add(c);
        if (c.stored()) {
            stored.add(c);
        }
        return c;
    }

    protected final Column.Int64 int64(String column, String meaningOf) {
        return add(new Column.Int64(column, meaningOf, stored.size()));
    }

    protected final Column.Int32 int32(String column, String meaningOf) {
        return add(new Column.Int32(column, meaningOf, stored.size()));
    }

    protected final Column.Int8 int8(String column, String meaningOf) {
        return add(new Column.Int8(column, meaningOf, stored.size()));
    }

    protected final Column.Float64 float64(String column, String meaningOf) {
        return add(new Column.Float64(column, meaningOf, stored.size()));
    }

    protected final Column.Bool bool(String column, String meaningOf) {
        return add(new Column.Bool(column, meaningOf, stored.size()));
    }

    protected final Column.Text text(String column, String meaningOf) {
        return add(new Column.Text(column, meaningOf, stored.size()));
    }

    protected final Column.Blob blob(String column, String meaningOf) {
        return add(new Column.Blob(column, meaningOf, stored.size()));
    }

    /**
     * The {@code capture} column every table ends with: the capture file the row came from. A producer never sets
     * it: {@link RowWriter#end()} stamps the value its {@link TableSink} holds for the current run
     * ({@link TableSink#capture(String)}), so rows of several captures loaded into one dataset stay apart.
     */
    protected final Column.Text capture() {
        if (capture != null) {
            throw new IllegalStateException("capture column declared twice in " + name);
        }
        capture = text("capture", "the capture file the row comes from, as given on the command line (`-`: standard "
                + "input; with `--continuous`, the first file of the set)");
        return capture;
    }

    /** The {@code capture} column, or null for a table that does not declare one. */
    public final Column.Text captureColumn() {
        return capture;
    }

    /** A TIMESTAMP_NS column the database computes from {@code source} (nanoseconds since the epoch, UTC). */
    protected final Column.Time time(String column, Column.Int64 source, String meaningOf) {
        return add(new Column.Time(column, source, meaningOf));
    }

    @Override
    public final String toString() {
        return name;
    }
}
