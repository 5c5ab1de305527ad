package org.iotpcap.bench;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.iotpcap.transport.FlowKey;
import org.iotpcap.transport.FlowTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One packet's flow lookup, as the engine and the TCP reassembler make it: {@link FlowTable} beside the
 * access-ordered {@code LinkedHashMap<FlowKey, V>} it replaced, over {@code flows} flows looked up in a random
 * order (as interleaved traffic does), each lookup moving its flow to most recently used.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlowTableBench {
    private static final int LOOKUPS = 1 << 16;

    @Param({"1000", "200000"})
    int flows;

    long[] srcLo;
    int[] srcPort;
    int[] order;
    final FlowKey probe = new FlowKey();
    FlowTable<Long> table;
    LinkedHashMap<FlowKey, Long> map;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        srcLo = new long[flows];
        srcPort = new int[flows];
        table = new FlowTable<>();
        map = new LinkedHashMap<>(1024, 0.75f, true);
        for (int i = 0; i < flows; i++) {
            srcLo[i] = 0x0000_ffff_6440_0000L | random.nextInt(1 << 22); // 100.64.0.0/10
            srcPort[i] = 1024 + random.nextInt(60000);
            set(i);
            table.put(probe, (long) i);
            map.put(probe.copy(), (long) i);
        }
        order = new int[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            order[i] = random.nextInt(flows);
        }
    }

    private void set(int i) {
        probe.set(6, 0, srcLo[i], srcPort[i], 0, 0x0000_ffff_c0a8_0001L, 1883);
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public long flowTable() {
        long sum = 0;
        for (int i : order) {
            set(i);
            sum += table.get(probe);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public long linkedHashMap() {
        long sum = 0;
        for (int i : order) {
            set(i);
            sum += map.get(probe);
        }
        return sum;
    }
}
