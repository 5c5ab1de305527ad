package org.iotpcap.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureFiles;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.engine.Summary;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.TestCaptures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Pipeline#count}, the pass without dissectors or tables, numbers what the full pass numbers: its TCP
 * connections and UDP flows are the streams the tables of a dataset load ({@link Pipeline#runEach}) hold for each
 * file, between the sums of the counts of the files before it; its warnings are the full pass's.
 */
class PipelineCountTest {
    @TempDir
    Path tmp;

    private static Pipeline.Options options() {
        return new Pipeline.Options(Bindings.defaults(), false, Limits.DEFAULTS);
    }

    @Test
    void countsEqualTheFullPassOfEveryFixture() throws Exception {
        int withStreams = 0;
        for (TestCaptures.TestCapture c : TestCaptures.all()) {
            String f = c.path().toString();
            Summary full = Pipeline.summarize(f, options());
            Summary counted = Pipeline.count(f, CaptureFiles.LOCAL, Limits.DEFAULTS);
            assertThat(counted.tcpConnections).as("%s tcp", f).isEqualTo(full.tcpConnections);
            assertThat(counted.udpFlows).as("%s udp", f).isEqualTo(full.udpFlows);
            assertThat(counted.frames).as("%s frames", f).isEqualTo(full.frames);
            assertThat(counted.warnings).as("%s warnings", f).isEqualTo(full.warnings);
            withStreams += counted.tcpConnections > 0 && counted.udpFlows > 0 ? 1 : 0;
        }
        assertThat(withStreams).isGreaterThan(3);
    }

    /** The streams each file of a dataset load holds lie between the counts of the files before it and its own. */
    @Test
    void countsOfTheFilesBeforeAreTheStreamOffsetsOfADatasetLoad() throws Exception {
        List<String> files = new ArrayList<>();
        for (TestCaptures.TestCapture c : TestCaptures.fixtures()) {
            if (c.iotpcapDecode().isEmpty()) {
                files.add(c.path().toString());
            }
        }
        assertThat(files).hasSizeGreaterThan(3);
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(new Pipeline.Inputs(files, false), new CaptureLoader.Options(Bindings.defaults(), false),
                    db);
            long tcp = 0;
            long udp = 0;
            for (String f : files) {
                Summary s = Pipeline.count(f, CaptureFiles.LOCAL, Limits.DEFAULTS);
                long[] t = range(db, "SELECT min(stream), max(stream), count(DISTINCT stream) FROM tcp_connections "
                        + "WHERE capture = ?", f);
                long[] u = range(db, "SELECT min(stream), max(stream), count(DISTINCT stream) FROM frames "
                        + "WHERE transport = 'udp' AND stream IS NOT NULL AND capture = ?", f);
                assertThat(t).as("%s tcp streams", f).isEqualTo(s.tcpConnections == 0 ? new long[] {0, 0, 0}
                        : new long[] {tcp, tcp + s.tcpConnections - 1, s.tcpConnections});
                // a flow is counted by its first datagram, which every flow has: its frames have its number
                assertThat(u).as("%s udp flows", f).isEqualTo(s.udpFlows == 0 ? new long[] {0, 0, 0}
                        : new long[] {udp, udp + s.udpFlows - 1, s.udpFlows});
                tcp += s.tcpConnections;
                udp += s.udpFlows;
            }
            assertThat(tcp).isGreaterThan(10);
            assertThat(udp).isGreaterThan(10);
        }
    }

    private static long[] range(Database db, String sql, String capture) throws Exception {
        try (var st = db.connection().prepareStatement(sql)) {
            st.setString(1, capture);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }

    @Test
    void aTruncatedCaptureWarnsAsTheFullPassDoes() throws Exception {
        byte[] whole = Files.readAllBytes(Path.of("fixtures", "captures", "mqtt.pcap"));
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 7));
        Summary full = Pipeline.summarize(cut.toString(), options());
        Summary counted = Pipeline.count(cut.toString(), CaptureFiles.LOCAL, Limits.DEFAULTS);
        assertThat(full.warnings).hasSize(1);
        assertThat(full.warnings.get(0)).contains("cut short");
        assertThat(counted.warnings).isEqualTo(full.warnings);
        assertThat(counted.malformed).containsAllEntriesOf(java.util.Map.of("capture/truncated_record",
                full.malformed.get("capture/truncated_record")));
    }
}
