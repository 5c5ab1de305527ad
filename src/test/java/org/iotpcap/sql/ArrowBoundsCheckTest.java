package org.iotpcap.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.testing.ChildJvm;
import org.iotpcap.testing.TestCaptures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whichever path loads the tables (Arrow streams on their threads, or one INSERT per batch), Arrow's bounds checks
 * are off before its first buffer exists ({@code ArrowBatches.newAllocator}). Each case runs in a new JVM, since
 * Arrow reads the setting once, when its first buffer class is initialised: in this test JVM another test may
 * have done that already.
 */
class ArrowBoundsCheckTest {

    /** Loads a fixture through the path named by {@code args[1]} and prints Arrow's bounds-checking flag. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            boolean parallel = args[1].equals("streams");
            CaptureLoader.Options o = new CaptureLoader.Options(Bindings.defaults(), false).withParallel(parallel);
            if (CaptureLoader.streams(o) != parallel) {
                throw new IllegalStateException("path not taken: " + args[1]);
            }
            try (Database db = Database.inMemory()) {
                CaptureLoader.load(args[0], o, db);
            }
            System.out.println("bounds-checking=" + org.apache.arrow.memory.BoundsChecking.BOUNDS_CHECKING_ENABLED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"streams", "inserts"})
    void everyLoadPath_turnsArrowsBoundsChecksOff(String path) throws Exception {
        // Streams need a heap of 1.5 GiB or more (Limits.heapFraction); below it the load inserts batch by batch.
        String heap = path.equals("streams") ? "-Xmx2g" : "-Xmx512m";
        List<String> cmd = new ArrayList<>(ChildJvm.command(List.of(heap)));
        cmd.add(Probe.class.getName());
        cmd.add(TestCaptures.FIXTURES.resolve("sample.pcapng").toString());
        cmd.add(path);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("child finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("bounds-checking=false");
    }
}
