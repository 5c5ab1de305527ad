package org.iotpcap.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.iotpcap.semantic.tables.Tables;
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
}
