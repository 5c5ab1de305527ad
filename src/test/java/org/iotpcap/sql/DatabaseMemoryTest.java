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
