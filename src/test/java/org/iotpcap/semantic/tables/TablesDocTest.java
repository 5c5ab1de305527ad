package org.iotpcap.semantic.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;
import org.junit.jupiter.api.Test;

/**
 * docs/tables.md shows every table's columns as its declaration gives them (name, type, meaning), between the
 * markers {@code <!-- table:NAME -->} and {@code <!-- /table -->}. Run with {@code -Ddocs.update=true} to rewrite
 * those blocks from the declarations after changing one.
 */
class TablesDocTest {

    static String block(TableDeclaration t) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!-- table:").append(t.name()).append(" -->\n");
        sb.append("## ").append(t.name()).append("\n").append(t.meaning()).append("\n\n");
        sb.append("| column | type | meaning |\n|---|---|---|\n");
        for (Column c : t.columns()) {
            sb.append("| `").append(c.name()).append("` | ").append(c.type().name()).append(" | ")
                    .append(c.meaning().replace("|", "\\|")).append(" |\n");
        }
        sb.append("<!-- /table -->");
        return sb.toString();
    }

    static String render(String doc) {
        String out = doc;
        for (TableDeclaration t : Tables.ALL) {
            String start = "<!-- table:" + t.name() + " -->";
            int i = out.indexOf(start);
            if (i < 0) {
                throw new AssertionError("docs/tables.md has no block " + start);
            }
            int j = out.indexOf("<!-- /table -->", i);
            out = out.substring(0, i) + block(t) + out.substring(j + "<!-- /table -->".length());
        }
        return out;
    }

    @Test
    void docsTablesMd_listsEveryColumnOfEveryDeclaration() throws Exception {
        Path doc = Path.of("docs", "tables.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        String expected = render(text);
        if (Boolean.getBoolean("docs.update")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertThat(text).as("docs/tables.md (regenerate: ./mvnw test -Dtest=TablesDocTest -Ddocs.update=true)")
                .isEqualTo(expected);
    }

    @Test
    void everyTableNameAndColumnIsStableSnakeCase() {
        for (TableDeclaration t : Tables.ALL) {
            assertThat(t.name()).matches("[a-z][a-z0-9_]*");
            assertThat(t.columns()).isNotEmpty();
            for (Column c : t.columns()) {
                assertThat(c.name()).as(t.name()).matches("[a-z][a-z0-9_]*");
                assertThat(c.meaning()).as(t.name() + "." + c.name()).isNotBlank();
            }
        }
    }
}
