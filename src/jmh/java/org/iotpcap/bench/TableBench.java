package org.iotpcap.bench;

import java.util.concurrent.TimeUnit;
import org.iotpcap.sql.Database;
import org.iotpcap.sql.TableWriter;
import org.iotpcap.semantic.Table;
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

/** Rows through the DuckDB Appender (TableWriter) into an in-memory database; scores are per row. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TableBench {
    static final int ROWS = 100_000;

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void framesRows() throws Exception {
        try (Database db = Database.inMemory(); TableWriter w = new TableWriter(db)) {
            for (int i = 0; i < ROWS; i++) {
                w.frame(i + 1, 1_700_000_000_000_000_000L + i * 1000L, 0, 120, 120, 4, "127.0.0.1", "127.0.0.2",
                        "udp", 40000 + (i & 1023), 5683, i & 1023, "coap");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void malformedRows() throws Exception {
        try (Database db = Database.inMemory(); TableWriter w = new TableWriter(db)) {
            for (long i = 0; i < ROWS; i++) {
                w.row(Table.MALFORMED, i, "mqtt", "bad_length", "detail");
            }
        }
    }
}
