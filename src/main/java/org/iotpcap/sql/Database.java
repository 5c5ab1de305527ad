package org.iotpcap.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.iotpcap.bytes.Limits;
import org.iotpcap.semantic.tables.Tables;
import org.iotpcap.table.TableDeclaration;

/**
 * An embedded DuckDB holding iotpcap's tables: in memory for one question, or a file written by
 * {@code iotpcap index} and reopened by {@code query}, {@code run} and {@code export}.
 *
 * <p>Once loaded, {@link #lockDown(boolean)} turns off DuckDB's external access (files, network,
 * extensions) unless the user allowed files, and locks the configuration so SQL cannot turn it back on.
 */
public final class Database implements AutoCloseable {
    private final DuckDBConnection connection;

    private Database(DuckDBConnection connection) {
        this.connection = connection;
    }

    /**
     * DuckDB's memory limit ({@code -Diotpcap.duckdb.memory=...}, default {@value #DEFAULT_MEMORY_LIMIT_MB} MB, less for
     * a small Java heap: {@link #memoryLimit}, {@link #queryMemoryLimit}): beyond it, tables and intermediate results
     * spill to the temporary directory, so a large capture needs disk, not memory (docs/robustness.md).
     */
    static final long DEFAULT_MEMORY_LIMIT_MB = 768;

    /**
     * The memory limit while a capture loads, for a JVM of {@code maxHeapBytes}: the {@code iotpcap.duckdb.memory}
     * property when set, else {@value #DEFAULT_MEMORY_LIMIT_MB} MB scaled like the state a run holds
     * ({@link Limits#heapFraction}: in proportion below {@link Limits#FULL_STATE_HEAP_BYTES}, which makes it half the
     * heap there; never below 128 MB), so that a run with a small heap ({@code -Xmx512m}: 256 MB) stays small as a
     * whole: heap, DuckDB and the JVM's own memory together. DuckDB allocates beyond its buffer pool too: with a
     * 512 MB heap and a 512 MB limit a 3 GB {@code index} held 620 MB outside the JVM (docs/performance.md).
     */
    static String memoryLimit(long maxHeapBytes) {
        return limit(Math.max(128, Math.round(DEFAULT_MEMORY_LIMIT_MB * Limits.heapFraction(maxHeapBytes))));
    }

    /**
     * The memory limit once the capture is loaded ({@link #useQueryMemoryLimit}, and for an index opened to be
     * queried): the pipeline's state and batches are no longer held, so DuckDB gets the heap's share the pipeline
     * had, twice the loading limit ({@code -Xmx512m}: 512 MB), up to {@value #DEFAULT_MEMORY_LIMIT_MB} MB. Some
     * analyses hold memory that grows with the capture (the sessions holding a filter at each PUBLISH of
     * {@code mqtt-unreceived-publishes}: 48 MB on a 300 MB capture, 128 MB on 1 GB); with 256 MB a 10 GB stream ended
     * out of memory there.
     */
    static String queryMemoryLimit(long maxHeapBytes) {
        return limit(Math.max(128, Math.round(DEFAULT_MEMORY_LIMIT_MB * Math.min(1.0, 2 * Limits.heapFraction(maxHeapBytes)))));
    }

    private static String limit(long mb) {
        String set = System.getProperty("iotpcap.duckdb.memory");
        return set != null ? set : mb + "MB";
    }

    /** Gives DuckDB the memory limit for queries ({@link #queryMemoryLimit}): called once the load has ended. */
    public void useQueryMemoryLimit() throws SQLException {
        setMemoryLimit(queryMemoryLimit(Runtime.getRuntime().maxMemory()));
    }

    /**
     * Gives DuckDB the loading limit again ({@link #memoryLimit}), for work that streams one table at a time to a
     * file ({@code export}'s COPY): it needs no more, and DuckDB's Parquet writer holds memory beside its pool (with
     * the query limit, a 10 GB export with {@code -Xmx512m} peaked at 1.50 GiB RSS while writing).
     */
    public void useStreamingMemoryLimit() throws SQLException {
        setMemoryLimit(memoryLimit(Runtime.getRuntime().maxMemory()));
    }

    private void setMemoryLimit(String limit) throws SQLException {
        execute("SET memory_limit = '" + limit.replace("'", "''") + "'");
    }

    /** A new in-memory database with the schema created; it spills to a temporary directory of its own. */
    public static Database inMemory() throws SQLException {
        Database db = new Database(connect("jdbc:duckdb:"));
        db.execute("SET TimeZone = 'UTC'");
        db.boundMemory(true);
        db.createSchema();
        return db;
    }

    /** Sets the loading memory limit; with {@code ownSpill}, a temporary directory of the database's own to spill to. */
    private void boundMemory(boolean ownSpill) throws SQLException {
        setMemoryLimit(memoryLimit(Runtime.getRuntime().maxMemory()));
        if (ownSpill) {
            try {
                java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("iotpcap-duckdb-");
                tmp.toFile().deleteOnExit();
                spill = tmp;
                execute("SET temp_directory = '" + tmp.toString().replace("'", "''") + "'");
            } catch (java.io.IOException e) {
                throw new SQLException("cannot create a temporary directory for DuckDB: " + e.getMessage(), e);
            }
        }
    }

    private java.nio.file.Path spill;

    /** A new database file (which must not exist yet) with the schema created. */
    public static Database create(Path file) throws SQLException {
        Database db = new Database(connect("jdbc:duckdb:" + file.toAbsolutePath()));
        db.execute("SET TimeZone = 'UTC'");
        db.boundMemory(false);
        db.createSchema();
        return db;
    }

    /** An existing database file written by {@code iotpcap index}, read-only. */
    public static Database openIndex(Path file) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("duckdb.read_only", "true");
        Database db;
        try {
            db = new Database((DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), p));
            db.execute("SET TimeZone = 'UTC'");
        } catch (SQLException e) {
            throw new SQLException("cannot open " + file + " as an iotpcap index: " + firstLine(e.getMessage()), e);
        }
        try {
            // read-only: queries spill into a directory of their own, not beside the file
            db.boundMemory(true);
            db.useQueryMemoryLimit();
            return db;
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static DuckDBConnection connect(String url) throws SQLException {
        return (DuckDBConnection) DriverManager.getConnection(url);
    }

    public Connection connection() {
        return connection;
    }

    public DuckDBAppender appender(String table) throws SQLException {
        return connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table);
    }

    public void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** The words of the SQL every loaded database runs (derive.sql, schema.sql's macros): what it reads. */
    public static java.util.Set<String> ownSqlWords() {
        java.util.Set<String> words = new java.util.LinkedHashSet<>(SqlWords.of(resource("derive.sql")));
        words.addAll(SqlWords.of(resource("schema.sql")));
        return words;
    }

    /**
     * Adds the columns derived from several tables (derive.sql); once, after loading. Each table with derived
     * columns is copied, in its rows' order, into a new table of its declared columns and the derived ones, which
     * then takes its name: an {@code UPDATE} of every row
     * kept memory in DuckDB's general allocator, outside what it can spill, for as long as an in-memory database
     * lives (22 MB for the 0.97 M rows of a 1 GB capture; on 10 GB more than a 256 MB memory limit).
     */
    public void derive() throws SQLException {
        java.util.Map<String, List<DerivedColumn>> byTable = new java.util.LinkedHashMap<>();
        for (DerivedColumn c : derivedColumns()) {
            byTable.computeIfAbsent(c.table(), k -> new ArrayList<>()).add(c);
        }
        for (TableDeclaration t : Tables.ALL) {
            List<DerivedColumn> derived = byTable.remove(t.name());
            if (derived == null) {
                continue;
            }
            String next = "iotpcap_derived_" + t.name();
            List<String> more = new ArrayList<>();
            java.util.StringJoiner names = new java.util.StringJoiner(", ").add(Ddl.storedColumns(t));
            java.util.StringJoiner values = new java.util.StringJoiner(", ");
            t.storedColumns().forEach(c -> values.add("t." + c.name()));
            java.util.StringJoiner derivedValues = new java.util.StringJoiner(", ");
            for (DerivedColumn c : derived) {
                more.add(c.column() + " " + c.type());
                names.add(c.column());
                values.add("d." + c.column());
                derivedValues.add(c.value() + " AS " + c.column());
            }
            execute(Ddl.createTable(t, next, more));
            // Only the derived values are sorted back into the rows' order (their subqueries are joins, which do
            // not keep it), then paired with the rows by position: sorting whole rows needed several times the
            // memory (a 96 MB memory limit was too little for 280 k TCP connections).
            execute("INSERT INTO " + next + " (" + names + ") SELECT " + values + " FROM " + t.name()
                    + " t POSITIONAL JOIN (SELECT " + derivedValues + " FROM " + t.name() + " t ORDER BY t.rowid) d");
            execute("DROP TABLE " + t.name());
            execute("ALTER TABLE " + next + " RENAME TO " + t.name());
        }
        if (!byTable.isEmpty()) {
            throw new IllegalStateException("derive.sql names tables that are not declared: " + byTable.keySet());
        }
    }

    /**
     * Runs {@code sql}, which reads the view {@code view} (an Arrow stream registered for it), then drops the view
     * whether or not it succeeded: the view must not outlive its stream. When the statement fails its failure is
     * what is thrown; inside a transaction the failure aborts the transaction, so the drop fails too, and that is
     * only attached (before, it replaced DuckDB's "Out of Memory" with "Current transaction is aborted").
     */
    static void executeThenDropView(java.sql.Connection conn, String sql, String view) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        } catch (SQLException | RuntimeException e) {
            try {
                dropView(conn, view);
            } catch (SQLException | RuntimeException dropped) {
                e.addSuppressed(dropped);
            }
            throw e;
        }
        dropView(conn, view);
    }

    /** In a statement of its own: a failed statement is closed by the driver. */
    private static void dropView(java.sql.Connection conn, String view) throws SQLException {
        try (Statement d = conn.createStatement()) {
            d.execute("DROP VIEW IF EXISTS " + view);
        }
    }

    /** Creates every table from its declaration, then the macros of the schema resource. */
    private void createSchema() throws SQLException {
        for (TableDeclaration t : Tables.ALL) {
            execute(Ddl.createTable(t));
        }
        for (String statement : statements(resource("schema.sql"))) {
            execute(statement);
        }
    }

    /** A setting's current value ({@code current_setting}). */
    String setting(String name) throws SQLException {
        try (Statement s = connection.createStatement();
             var rs = s.executeQuery("SELECT current_setting('" + name.replace("'", "''") + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Another connection to the same database, for a statement on another thread, committing each statement
     * (DuckDB's duplicate takes this connection's auto-commit, and a load runs with it off).
     */
    DuckDBConnection duplicate() throws SQLException {
        DuckDBConnection c = (DuckDBConnection) connection.duplicate();
        c.setAutoCommit(true);
        return c;
    }

    /** Makes an Arrow C stream queryable under {@code name} until it is consumed. */
    void registerArrowStream(String name, org.apache.arrow.c.ArrowArrayStream stream) {
        connection.registerArrowStream(name, stream);
    }

    /** The session time zone, in which TIMESTAMPTZ values are shown and naive timestamps are read. */
    public void timeZone(String zone) throws SQLException {
        execute("SET TimeZone = '" + zone.replace("'", "''") + "'");
    }

    /** No file, network or extension access from SQL unless {@code allowFiles}; settings locked either way. */
    public void lockDown(boolean allowFiles) throws SQLException {
        if (!allowFiles) {
            execute("SET enable_external_access = false");
        }
        execute("SET autoinstall_known_extensions = false");
        execute("SET autoload_known_extensions = false");
        execute("SET lock_configuration = true");
    }

    /** Table names in the database (tables and views), sorted. */
    public List<String> tables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = connection.createStatement();
             var rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                     + "AND table_name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY table_name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static String resource(String name) {
        try (InputStream in = Database.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    /**
     * A column derive.sql declares ({@code table.column TYPE = value}): {@code value} is a scalar expression on the
     * table's row {@code t} (a correlated subquery), so every engine computes it as {@code SELECT t.*, value}.
     */
    public record DerivedColumn(String table, String column, String type, String value) {}

    private static final java.util.regex.Pattern DERIVED = java.util.regex.Pattern.compile(
            "(?s)(\\w+)\\.(\\w+) (\\w+) = (.+)");

    /** derive.sql's columns, in its order; a statement of another shape there is a bug of ours. */
    public static List<DerivedColumn> derivedColumns() {
        List<DerivedColumn> out = new ArrayList<>();
        for (String st : statements(resource("derive.sql"))) {
            java.util.regex.Matcher m = DERIVED.matcher(st);
            if (!m.matches()) {
                throw new IllegalStateException("derive.sql: expected table.column TYPE = value, not " + st);
            }
            out.add(new DerivedColumn(m.group(1), m.group(2), m.group(3), m.group(4)));
        }
        return out;
    }

    /** Splits a script on semicolons at line ends, dropping comment lines. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                out.add(cur.toString().strip().replaceAll(";$", ""));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
        if (spill != null) {
            try (var files = java.nio.file.Files.walk(spill)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException ignored) {
                // a temporary directory left behind is removed by the system's temporary-file cleaning
            }
        }
    }
}
