package org.iotpcap.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** DuckDB's memory limit follows the Java heap when the heap is small, so a small run stays small as a whole. */
class DatabaseMemoryTest {

    @Test
    void memoryLimit_isTheDefault_orHalfTheHeapWhenSmaller() {
        assertThat(Database.memoryLimit(8L << 30)).isEqualTo(Database.DEFAULT_MEMORY_LIMIT_MB + "MB");
        assertThat(Database.memoryLimit(org.iotpcap.bytes.Limits.FULL_STATE_HEAP_BYTES))
                .as("the heap where the state limits reach their defaults").isEqualTo(Database.DEFAULT_MEMORY_LIMIT_MB + "MB");
        assertThat(Database.memoryLimit(org.iotpcap.bytes.Limits.FULL_STATE_HEAP_BYTES / 2)).isEqualTo("384MB");
        assertThat(Database.memoryLimit(512L << 20)).isEqualTo("256MB");
        assertThat(Database.memoryLimit(16L << 20)).as("never below 128 MB").isEqualTo("128MB");
    }

    @Test
    void queryMemoryLimit_isTwiceTheLoadingLimit_upToTheDefault() {
        assertThat(Database.queryMemoryLimit(8L << 30)).isEqualTo(Database.DEFAULT_MEMORY_LIMIT_MB + "MB");
        assertThat(Database.queryMemoryLimit(org.iotpcap.bytes.Limits.FULL_STATE_HEAP_BYTES / 2))
                .isEqualTo(Database.DEFAULT_MEMORY_LIMIT_MB + "MB");
        assertThat(Database.queryMemoryLimit(512L << 20)).isEqualTo("512MB");
        assertThat(Database.queryMemoryLimit(16L << 20)).as("never below 128 MB").isEqualTo("128MB");
    }

    /** Prints DuckDB's memory limit in MiB: in memory, after a load, and for an index opened to be queried. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            java.nio.file.Path index = java.nio.file.Path.of(args[1]);
            try (Database db = Database.inMemory()) {
                System.out.println("new=" + mib(db));
                CaptureLoader.load(args[0], new CaptureLoader.Options(org.iotpcap.dissect.Bindings.defaults(), false), db);
                System.out.println("loaded=" + mib(db));
                db.useStreamingMemoryLimit();
                System.out.println("streaming=" + mib(db));
            }
            try (Database db = Database.create(index)) {
                CaptureLoader.load(args[0], new CaptureLoader.Options(org.iotpcap.dissect.Bindings.defaults(), false), db);
            }
            try (Database db = Database.openIndex(index)) {
                System.out.println("index=" + mib(db));
            }
        }

        static long mib(Database db) throws Exception {
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('memory_limit')")) {
                rs.next();
                String reported = rs.getString(1);
                double v = Double.parseDouble(reported.replaceAll("[^0-9.]", ""));
                return Math.round(reported.contains("GiB") ? v * 1024 : v);
            }
        }
    }

    /**
     * With -Xmx512m: 256 MB while loading, 512 MB once loaded and for an index opened to be queried, 256 MB again
     * for export's COPY.
     */
    @Test
    void aSmallHeap_loadsWithHalfTheLimitItQueriesWith(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(org.iotpcap.testing.ChildJvm.command(java.util.List.of("-Xmx512m")));
        cmd.add(Probe.class.getName());
        cmd.add(org.iotpcap.testing.TestCaptures.FIXTURES.resolve("sample.pcapng").toString());
        cmd.add(dir.resolve("i.duckdb").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // DuckDB reports MiB: 256 MB is 244 MiB, 512 MB is 488 MiB
        assertThat(out.lines().toList()).containsExactly("new=244", "loaded=488", "streaming=244", "index=488");
    }

    @Test
    void theDatabase_isGivenThatLimit() throws Exception {
        long mb = Long.parseLong(Database.memoryLimit(Runtime.getRuntime().maxMemory()).replace("MB", ""));
        try (Database db = Database.inMemory();
             Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('memory_limit')")) {
            rs.next();
            // DuckDB reports the limit in its own units (e.g. "488.2 MiB" for 512MB)
            String reported = rs.getString(1);
            double mib = Double.parseDouble(reported.replaceAll("[^0-9.]", ""));
            double factor = reported.contains("GiB") ? 1024 : 1;
            assertThat(mib * factor * 1024 * 1024).isCloseTo(mb * 1e6, org.assertj.core.data.Percentage.withPercentage(1));
        }
    }
}
