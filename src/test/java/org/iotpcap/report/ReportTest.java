package org.iotpcap.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotpcap.sql.Database;
import org.junit.jupiter.api.Test;

/**
 * The page's data cannot break out of its script element: a DNS name from a capture that holds HTML
 * ({@code </script><img src=x>}) stays inside the JSON, which parses back to the same text; the time buckets
 * are the 1-2-5 steps that keep the traffic chart at most {@link Report#BUCKETS} wide.
 */
class ReportTest {
    @Test
    void textFromTheCaptureStaysInsideTheData() throws Exception {
        String hostile = "</script><img src=x onerror=alert(1)><!--<script>";
        try (Database db = Database.inMemory()) {
            db.execute("INSERT INTO names (name, address, first_frame) VALUES ('" + hostile.replace("'", "''")
                    + "', '192.0.2.1', 1)");
            db.derive();
            String html = Report.html(db.connection(), "t<b>.pcapng", null, List.of(), List.of());
            Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
                    Pattern.DOTALL).matcher(html);
            assertThat(m.find()).isTrue();
            String data = m.group(1);
            assertThat(data).doesNotContain("<");
            Object parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(data, Object.class);
            assertThat(parsed.toString()).contains(hostile);
            assertThat(html).contains("<title>iotpcap report: t&lt;b&gt;.pcapng</title>");
        }
    }

    @Test
    void bucketsAreOneTwoFiveStepsGivingAtMostTheCap() {
        assertThat(Report.bucket(0)).isEqualTo(1_000);
        assertThat(Report.bucket(299_999)).isEqualTo(1_000);
        assertThat(Report.bucket(300_000)).isEqualTo(2_000);
        assertThat(Report.bucket(600_000)).isEqualTo(5_000);
        assertThat(Report.bucket(1_500_000)).isEqualTo(10_000);
        long day = 86_400_000_000_000L;
        long b = Report.bucket(day);
        assertThat(day / b).isLessThan(Report.BUCKETS);
        assertThat(day / (b / 2)).isGreaterThanOrEqualTo(Report.BUCKETS);
    }
}
