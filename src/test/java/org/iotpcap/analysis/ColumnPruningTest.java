package org.iotpcap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
import org.iotpcap.semantic.tables.MqttMessages;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.table.Projection;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loading only the columns the analyses name ({@link Analysis#projection}, what {@code run} loads) gives every
 * analysis the same answer and the same evidence rows as loading every column, on every fixture.
 */
class ColumnPruningTest {
    private static final AnalysisCatalog CATALOG = AnalysisCatalog.builtIn();

    static List<TestCapture> fixtures() {
        return TestCaptures.fixtures();
    }

    @Test
    void theProjection_leavesColumnsOut() {
        Projection p = Analysis.projection(CATALOG.all());
        assertThat(p.includes(MqttMessages.T)).isTrue();
        assertThat(p.columns(MqttMessages.T)).isNotEmpty().hasSizeLessThan(MqttMessages.T.storedColumns().size());
        assertThat(p.includes(org.iotpcap.semantic.tables.Frames.T)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void prunedLoad_givesEveryAnalysisTheSameAnswerAndEvidence(TestCapture capture) throws Exception {
        Bindings bindings = new Bindings(capture.iotpcapDecode().stream().map(Binding::parse).toList(), Heuristics.DEFAULTS);
        CaptureLoader.Options full = new CaptureLoader.Options(bindings, false);
        try (Database all = Database.inMemory(); Database pruned = Database.inMemory()) {
            CaptureLoader.load(capture.path().toString(), full, all);
            CaptureLoader.load(capture.path().toString(), full.withProjection(Analysis.projection(CATALOG.all())),
                    pruned);
            for (Analysis a : CATALOG.all()) {
                assertThat(run(pruned, a)).as(a.name()).isEqualTo(run(all, a));
            }
        }
    }

    /**
     * {@code run NAME} loads what that one analysis names: of each table it names, only its own words' columns
     * (and derive.sql's), which is less than the whole catalog's projection.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachAnalysisAlone_givesTheSameAnswerAndEvidenceFromItsOwnProjection(TestCapture capture) throws Exception {
        Bindings bindings = new Bindings(capture.iotpcapDecode().stream().map(Binding::parse).toList(), Heuristics.DEFAULTS);
        CaptureLoader.Options full = new CaptureLoader.Options(bindings, false);
        try (Database all = Database.inMemory()) {
            CaptureLoader.load(capture.path().toString(), full, all);
            for (Analysis a : CATALOG.all()) {
                try (Database pruned = Database.inMemory()) {
                    CaptureLoader.load(capture.path().toString(), full.withProjection(Analysis.projection(List.of(a))),
                            pruned);
                    assertThat(run(pruned, a)).as(a.name()).isEqualTo(run(all, a));
                }
            }
        }
    }

    @Test
    void aTablesColumns_comeFromTheAnalysesThatNameIt() {
        Projection every = Analysis.projection(CATALOG.all());
        for (Analysis a : CATALOG.all()) {
            Projection alone = Analysis.projection(List.of(a));
            for (var t : alone.tables()) {
                assertThat(every.columns(t)).as(a.name() + " " + t.name()).containsAll(alone.columns(t));
            }
        }
        // the catalog's words no longer widen a table that no analysis using them names
        boolean narrower = CATALOG.all().stream().anyMatch(a -> {
            Projection alone = Analysis.projection(List.of(a));
            return alone.tables().stream().anyMatch(t -> alone.columns(t).size() < every.columns(t).size());
        });
        assertThat(narrower).isTrue();
    }

    /** The answer and every evidence row, as text; or why a name was not resolved. */
    private static List<Object> run(Database db, Analysis a) throws Exception {
        List<Object> out = new ArrayList<>();
        AnalysisResult r;
        try {
            r = new AnalysisRunner(db.connection()).run(a, Map.of(), (result, rs) -> {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(md.getColumnLabel(i), v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b)
                            : String.valueOf(v));
                }
                out.add(row);
            }
            });
        } catch (AnalysisRunner.UnresolvedNameException e) {
            return List.of("unresolved: " + e.getMessage());
        }
        out.add(0, String.valueOf(r.answer()));
        return out;
    }
}
