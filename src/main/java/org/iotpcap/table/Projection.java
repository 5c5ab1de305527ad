package org.iotpcap.table;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a load fills: which tables, and of each which stored columns. Tables outside it get no rows and columns
 * outside it stay NULL, which saves the loading time of what no question reads (as a Spark scan prunes the columns
 * its query does not read). {@link #ALL}: every column of every table.
 */
public final class Projection {
    public static final Projection ALL = new Projection(null, Map.of());

    /** null: every table. */
    private final Set<TableDeclaration> tables;
    /** Tables loaded with only some columns; the others of {@link #tables} are loaded whole. */
    private final Map<TableDeclaration, List<Column>> columns;

    private Projection(Set<TableDeclaration> tables, Map<TableDeclaration, List<Column>> columns) {
        this.tables = tables == null ? null : Set.copyOf(tables);
        this.columns = Map.copyOf(columns);
    }

    /** Every column of {@code tables} (null: of every table). */
    public static Projection of(Collection<? extends TableDeclaration> tables) {
        return tables == null ? ALL : new Projection(Set.copyOf(tables), Map.of());
    }

    /**
     * Of each table of {@code names}, the stored columns whose names are in its set (lower case), and a generated
     * time column's source when the time column is named; {@code whole} are loaded with every column.
     */
    public static Projection named(Map<? extends TableDeclaration, ? extends Set<String>> names,
                                   Collection<? extends TableDeclaration> whole) {
        Map<TableDeclaration, List<Column>> cols = new LinkedHashMap<>();
        for (Map.Entry<? extends TableDeclaration, ? extends Set<String>> e : names.entrySet()) {
            TableDeclaration t = e.getKey();
            if (whole.contains(t)) {
                continue;
            }
            Set<String> named = e.getValue();
            List<Column> ordered = stored(t, t.columns().stream().filter(c -> named.contains(c.name())).toList());
            if (ordered.size() < t.storedColumns().size()) {
                cols.put(t, ordered);
            }
        }
        java.util.Set<TableDeclaration> all = new java.util.LinkedHashSet<>(names.keySet());
        all.addAll(whole);
        return new Projection(all, cols);
    }

    /** Of one table only, the stored columns of {@code chosen} (a generated column: its source). */
    public static Projection of(TableDeclaration t, Collection<? extends Column> chosen) {
        return new Projection(Set.of(t), Map.of(t, stored(t, chosen)));
    }

    /** The stored columns of {@code t} that {@code chosen} names or generates from, in the table's order. */
    private static List<Column> stored(TableDeclaration t, Collection<? extends Column> chosen) {
        java.util.Set<Column> keep = new java.util.HashSet<>();
        for (Column c : chosen) {
            keep.add(c instanceof Column.Time time ? time.source() : c);
        }
        return t.storedColumns().stream().filter(keep::contains).toList();
    }

    /** Whether the load fills this table. */
    public boolean includes(TableDeclaration t) {
        return tables == null || tables.contains(t);
    }

    /** The tables the load fills; null: every table. */
    public Set<TableDeclaration> tables() {
        return tables;
    }

    /** The stored columns of {@code t} the load fills, in the table's order. */
    public List<Column> columns(TableDeclaration t) {
        return columns.getOrDefault(t, t.storedColumns());
    }

    @Override
    public String toString() {
        if (tables == null) {
            return "Projection[all]";
        }
        StringBuilder b = new StringBuilder("Projection[");
        for (TableDeclaration t : tables) {
            b.append(t.name());
            List<Column> c = columns.get(t);
            if (c != null) {
                b.append(c.stream().map(Column::name).toList());
            }
            b.append(' ');
        }
        return b.toString().strip() + "]";
    }
}
