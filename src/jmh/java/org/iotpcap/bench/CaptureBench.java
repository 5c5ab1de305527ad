package org.iotpcap.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.CaptureRecord;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Dissection;
import org.iotpcap.dissect.MessageSink;
import org.iotpcap.engine.Engine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The frame loop's stages over one in-memory capture of {@value #FRAMES} frames (4 MB from bench/CaptureGen.java),
 * so that every score is per frame: pcapng framing alone; framing + link + IP + UDP + TCP reassembly (the
 * engine without listeners); the full decode (engine + DNS/CoAP/MQTT/MQTT-SN dissectors, as
 * {@code iotpcap info}); and the whole pipeline with its semantic model writing rows into columnar batches that
 * are released as they fill (no DuckDB), with the columns {@code run all} loads ({@link #pipelineRunAllRows}) and
 * with every column of every table ({@link #pipelineAllRows}): what the model and the row writers cost beyond the
 * decode. With {@code -prof gc}, gc.alloc.rate.norm is bytes allocated per frame.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class CaptureBench {
    /** Frames in the 4 MB capture (checked in setup). */
    static final int FRAMES = 25440;

    byte[] capture;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        capture = BenchCapture.load("4M");
        int n = framing();
        if (n != FRAMES) {
            throw new IllegalStateException("the benchmark capture has " + n + " frames, expected " + FRAMES);
        }
    }

    private CaptureReader open() throws IOException {
        return Captures.open(new ByteArrayInputStream(capture), Diagnostics.IGNORE, Limits.DEFAULTS);
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(FRAMES)
    public int framing() throws IOException {
        int n = 0;
        try (CaptureReader r = open()) {
            CaptureRecord rec = new CaptureRecord();
            while (r.next(rec)) {
                n++;
            }
        }
        return n;
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(FRAMES)
    public long ipTcpUdp() throws IOException {
        try (CaptureReader r = open()) {
            return Engine.builder().build().run(r).tcpSegments;
        }
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(FRAMES)
    public long fullDecode() throws IOException {
        Dissection d = new Dissection(Bindings.defaults(), Diagnostics.IGNORE, MessageSink.NONE, false);
        try (CaptureReader r = open()) {
            return Engine.builder().onUdp(d).onTcp(d).build().run(r).frames;
        }
    }

    private static final org.iotpcap.table.Projection RUN_ALL =
            org.iotpcap.analysis.Analysis.projection(org.iotpcap.analysis.AnalysisCatalog.builtIn().all());

    private long pipeline(org.iotpcap.table.Projection projection) throws IOException {
        long[] rows = {0};
        org.iotpcap.table.TableSink sink = new org.iotpcap.table.TableSink(b -> {
            rows[0] += b.rows();
            b.release();
        }, projection);
        org.iotpcap.pipeline.Pipeline.run("bench", name -> new ByteArrayInputStream(capture),
                new org.iotpcap.pipeline.Pipeline.Options(Bindings.defaults(), false, Limits.DEFAULTS,
                        org.iotpcap.pipeline.Pipeline.ProgressListener.NONE), sink);
        sink.close();
        return rows[0];
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(FRAMES)
    public long pipelineRunAllRows() throws IOException {
        return pipeline(RUN_ALL);
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(FRAMES)
    public long pipelineAllRows() throws IOException {
        return pipeline(org.iotpcap.table.Projection.ALL);
    }
}
