package org.iotpcap.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.iotpcap.semantic.tables.CoapMessages;
import org.iotpcap.semantic.tables.Frames;
import org.iotpcap.semantic.tables.MqttMessages;
import org.iotpcap.semantic.tables.Names;
import org.iotpcap.semantic.tables.Tables;
import org.iotpcap.table.Projection;
import org.iotpcap.table.TableDeclaration;
import org.junit.jupiter.api.Test;

class SqlWordsTest {
    private static final Set<TableDeclaration> TABLES = new HashSet<>(Tables.ALL);

    @Test
    void words_areTheLowerCaseIdentifiers() {
        assertThat(SqlWords.of("SELECT m.Topic, count(*) FROM mqtt_messages m -- by qos\nWHERE m.qos = 1"))
                .contains("select", "m", "topic", "count", "from", "mqtt_messages", "by", "qos", "where")
                .doesNotContain("Topic", "1");
    }

    @Test
    void aStarThatMayStandForTableColumns_isSeen() {
        assertThat(SqlWords.mayReadEveryColumn("SELECT * FROM mqtt_messages", TABLES)).isTrue();
        assertThat(SqlWords.mayReadEveryColumn("SELECT m.* FROM mqtt_messages m", TABLES)).isTrue();
        assertThat(SqlWords.mayReadEveryColumn("SELECT * EXCLUDE (topic) FROM mqtt_messages", TABLES)).isTrue();
        assertThat(SqlWords.mayReadEveryColumn("WITH d AS (SELECT frame FROM frames) SELECT * FROM d JOIN frames USING (frame)",
                TABLES)).isFalse();
        // conservative: a product is a star too
        assertThat(SqlWords.mayReadEveryColumn("SELECT qos * 2 FROM mqtt_messages", TABLES)).isTrue();
    }

    @Test
    void countStar_cteStarsAndCommentsAreNot() {
        assertThat(SqlWords.mayReadEveryColumn("SELECT count(*), count( * ) FROM mqtt_messages", TABLES)).isFalse();
        assertThat(SqlWords.mayReadEveryColumn(
                "WITH a AS (SELECT frame FROM frames), b AS (SELECT frame FROM frames)\n"
                        + "SELECT * FROM a UNION ALL SELECT * FROM b -- not * of a table", TABLES)).isFalse();
        assertThat(SqlWords.mayReadEveryColumn("SELECT * FROM a.frames", TABLES)).isTrue();
    }

    private static Projection forQuery(String sql) {
        return SqlWords.forQuery(sql, Tables.ALL, Names.T);
    }

    @Test
    void aUsersQuery_loadsTheTablesItNames_wholeAndWithNames() {
        Projection p = forQuery("FROM mqtt_messages m JOIN \"Frames\" f USING (frame)");
        assertThat(p.tables()).containsExactlyInAnyOrder(MqttMessages.T, Frames.T, Names.T);
        assertThat(p.columns(MqttMessages.T)).isEqualTo(MqttMessages.T.storedColumns());
        // a column named query is not the query() table function
        assertThat(forQuery("SELECT query FROM coap_messages").tables())
                .containsExactlyInAnyOrder(CoapMessages.T, Names.T);
    }

    @Test
    void aQueryNamingNoTable_orReadingTheCatalog_loadsEverything() {
        assertThat(forQuery("SELECT 1").tables()).isNull();
        assertThat(forQuery("SHOW TABLES").tables()).isNull();
        assertThat(forQuery("SELECT table_name, estimated_size FROM duckdb_tables() WHERE table_name = 'frames'")
                .tables()).isNull();
        assertThat(forQuery("SELECT * FROM information_schema.tables, frames").tables()).isNull();
        assertThat(forQuery("SELECT count(*) FROM query_table('fra' || 'mes')").tables()).isNull();
        assertThat(forQuery("FROM query('SELECT * FROM ' || 'mqtt_messages'), frames").tables()).isNull();
        assertThat(forQuery("FROM QUERY ('SELECT * FROM ' || 'mqtt_messages'), frames").tables()).isNull();
        assertThat(forQuery("PRAGMA storage_info('frames')").tables()).isNull();
    }
}
