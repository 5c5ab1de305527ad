package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.List;
import org.iotpcap.semantic.tables.Names;
import org.iotpcap.semantic.tables.Tables;
import org.iotpcap.sql.SqlWords;
import org.iotpcap.table.Projection;
import org.iotpcap.table.TableDeclaration;
import org.iotpcap.testing.Tshark;
import org.junit.jupiter.api.Test;

/**
 * {@code iotpcap query} on a capture fills only the tables its SQL names, each whole: the tables it reads hold
 * what a full load holds, and the others stay empty.
 */
class QueryLoadTest {
    /** Real peers' traffic: DNS, MQTT, CoAP (fixtures/captures/README.md). */
    private static final String SAMPLE = "fixtures/captures/sample.pcapng";

    private static long count(Source.Loaded l, String table) throws SQLException {
        try (Statement s = l.db().connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Row count and the sum of the rows' hashes: equal when the tables hold the same rows. */
    private static String rows(Source.Loaded l, String table) throws SQLException {
        try (Statement s = l.db().connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(hash(t)) FROM " + table + " t")) {
            rs.next();
            return rs.getLong(1) + " rows, hash " + rs.getObject(2);
        }
    }

    @Test
    void theTablesTheSqlNames_areFilledWhole_andNoOthers() throws Exception {
        String sql = "SELECT broker_name, count(*) FROM mqtt_connections GROUP BY ALL";
        Projection toLoad = SqlWords.forQuery(sql, Tables.ALL, Names.T);
        try (Source.Loaded pruned = Source.open(List.of(SAMPLE), new InputOptions(), toLoad);
             Source.Loaded full = Source.open(List.of(SAMPLE), new InputOptions(), Projection.ALL)) {
            assertThat(count(full, "mqtt_connections")).isPositive();
            assertThat(count(full, "names")).isPositive();
            // broker_name, derived from names, is set on some rows
            assertThat(count(full, "mqtt_connections WHERE broker_name IS NOT NULL")).isPositive();
            for (TableDeclaration t : Tables.ALL) {
                if (toLoad.includes(t)) {
                    assertThat(rows(pruned, t.name())).as(t.name()).isEqualTo(rows(full, t.name()));
                } else {
                    assertThat(count(pruned, t.name())).as(t.name()).isZero();
                }
            }
            assertThat(count(full, "frames")).isPositive();
        }
    }

    @Test
    void everyTableReadWithoutAStar_printsWhatAFullLoadPrints() {
        for (TableDeclaration t : Tables.ALL) {
            String sql = "FROM " + t.name();
            CliTest.Result pruned = CliTest.run("query", SAMPLE, sql, "--format", "csv");
            CliTest.Result full = CliTest.run("query", SAMPLE, sql, "--format", "csv", "--all-tables");
            assertThat(pruned.code()).as(pruned.err()).isZero();
            assertThat(pruned.out()).as(t.name()).isEqualTo(full.out());
        }
    }

    @Test
    void aQueryOfFrames_countsTsharksFrames() {
        Tshark.assumeAvailable();
        int tshark = Tshark.fields(Path.of(SAMPLE), List.of(), "frame.number").size();
        CliTest.Result frames = CliTest.run("query", SAMPLE, "SELECT count(*) FROM frames", "--format", "csv");
        assertThat(frames.out().lines().skip(1).findFirst().orElseThrow()).isEqualTo(Integer.toString(tshark));
    }
}
