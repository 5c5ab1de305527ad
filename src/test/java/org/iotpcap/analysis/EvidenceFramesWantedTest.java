package org.iotpcap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.TestCaptures;
import org.junit.jupiter.api.Test;

/**
 * A reader that does not want the evidence frames (the text table of {@code run all}) gets the same answer, count
 * and evidence rows, and no frames; any other reader gets them.
 */
class EvidenceFramesWantedTest {
    private static final AnalysisCatalog CATALOG = AnalysisCatalog.builtIn();

    /** Counts the evidence rows it is handed. */
    private static final class Counting implements AnalysisRunner.EvidenceReader {
        final boolean frames;
        long rows;

        Counting(boolean frames) {
            this.frames = frames;
        }

        @Override
        public void read(AnalysisResult result, ResultSet evidence) throws SQLException, IOException {
            while (evidence.next()) {
                rows++;
            }
        }

        @Override
        public boolean framesWanted() {
            return frames;
        }
    }

    @Test
    void framesAreGatheredOnlyWhenWanted() throws Exception {
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(TestCaptures.FIXTURES.resolve("sample.pcapng").toString(),
                    new CaptureLoader.Options(Bindings.defaults(), false), db);
            AnalysisRunner runner = new AnalysisRunner(db.connection());
            Analysis a = CATALOG.get("coap-unsuccessful-puts");
            Counting wanting = new Counting(true);
            AnalysisResult with = runner.run(a, Map.of(), wanting);
            Counting notWanting = new Counting(false);
            AnalysisResult without = runner.run(a, Map.of(), notWanting);

            assertThat(with.evidenceTotal()).isPositive();
            assertThat(with.evidenceFrames()).isNotEmpty();
            assertThat(with.displayFilter()).startsWith("frame.number in {");
            assertThat(without.evidenceFrames()).isNull();
            assertThat(without.answer()).isEqualTo(with.answer());
            assertThat(without.evidenceTotal()).isEqualTo(with.evidenceTotal());
            assertThat(notWanting.rows).isEqualTo(wanting.rows).isEqualTo(with.evidenceTotal());
            // the default reader wants them
            assertThat(runner.run(a, Map.of()).evidenceFrames()).isEqualTo(with.evidenceFrames());
        }
    }
}
