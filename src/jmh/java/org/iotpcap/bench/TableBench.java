package org.iotpcap.bench;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.iotpcap.semantic.tables.Frames;
import org.iotpcap.sql.ArrowLoader;
import org.iotpcap.sql.ArrowStreams;
import org.iotpcap.sql.Database;
import org.iotpcap.table.Batch;
import org.iotpcap.table.BatchConsumer;
import org.iotpcap.table.Column;
import org.iotpcap.table.RowWriter;
import org.iotpcap.table.Projection;
import org.iotpcap.table.TableSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frames rows written through {@link RowWriter} into columnar batches and loaded into an in-memory DuckDB, by the
 * three paths there are: one Arrow stream per table for the whole load, on a thread of its own ({@link ArrowStreams},
 * what iotpcap uses with two cores or more), one {@code INSERT} per Arrow record batch on the writing thread
 * ({@link ArrowLoader}, with one core), and the JDBC Appender fed from the same batches (one native call per
 * value). Scores are per row; docs/performance.md has the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class TableBench {
    static final int ROWS = 200_000;
    static final String[] ADDRESSES = {"192.168.17.10", "192.168.17.200", "2001:db8::30", "10.11.12.13"};

    static void write(BatchConsumer consumer) {
        Frames f = Frames.T;
        TableSink sink = new TableSink(consumer);
        RowWriter w = sink.writer(Frames.T);
        for (int i = 0; i < ROWS; i++) {
            w.begin().set(f.frame, i + 1).set(f.timeNs, 1_700_000_000_000_000_000L + i * 1000L).set(f.iface, 0)
                    .set(f.capLen, 120).set(f.len, 120).set(f.ipVersion, 4).set(f.src, ADDRESSES[i & 3])
                    .set(f.dst, ADDRESSES[(i + 1) & 3]).set(f.transport, "udp").set(f.srcPort, 40000 + (i & 1023))
                    .set(f.dstPort, 5683).set(f.stream, i & 1023).set(f.protocol, "coap").end();
        }
        sink.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void framesArrow() throws Exception {
        try (Database db = Database.inMemory(); ArrowLoader loader = new ArrowLoader(db, Projection.ALL)) {
            db.connection().setAutoCommit(false);
            write(loader);
            db.connection().commit();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void framesArrowStream() throws Exception {
        try (Database db = Database.inMemory(); ArrowStreams loader = new ArrowStreams(db, Projection.ALL)) {
            write(loader);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void framesAppender() throws Exception {
        try (Database db = Database.inMemory(); DuckDBAppender a = db.appender("frames")) {
            db.connection().setAutoCommit(false);
            write(batch -> {
                try {
                    append(a, batch);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                } finally {
                    batch.release();
                }
            });
            a.flush();
            db.connection().commit();
        }
    }

    private static void append(DuckDBAppender a, Batch b) throws SQLException {
        for (int r = 0; r < b.rows(); r++) {
            a.beginRow();
            for (Column c : b.table().storedColumns()) {
                if (b.isNull(c, r)) {
                    a.appendNull();
                    continue;
                }
                switch (c) {
                    case Column.Int64 x -> a.append(b.getLong(x, r));
                    case Column.Int32 x -> a.append(b.getInt(x, r));
                    case Column.Int8 x -> a.append(b.getByte(x, r));
                    case Column.Text x -> a.append(b.getText(x, r));
                    default -> throw new IllegalStateException(c.toString());
                }
            }
            a.endRow();
        }
    }
}
