package org.iotpcap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A benchmark capture made by bench/CaptureGen.java from the fixtures, held in memory (run from the repository root). */
final class BenchCapture {
    private BenchCapture() {}

    static byte[] load(String size) throws IOException, InterruptedException {
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "iotpcap-jmh-" + size + ".pcapng");
        if (!Files.exists(out)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new java.util.ArrayList<>(List.of(java, "bench/CaptureGen.java", "--bytes", size,
                    "--out", out.toString()));
            for (String f : List.of("sample.pcapng", "dns.pcapng", "mqtt-segments.pcapng", "ipv6.pcapng")) {
                cmd.add("fixtures/captures/" + f);
            }
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("CaptureGen failed (run the benchmarks from the repository root)");
            }
        }
        return Files.readAllBytes(out);
    }
}
