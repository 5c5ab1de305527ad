package org.iotpcap.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * "Local" has one home: {@link IpAddress#isLoopback()}. Its SQL form ({@link IpAddress#loopbackSql}), which the
 * analyses' {@code local} macro uses over the tables' address text, must say the same of every address.
 */
class IpAddressLoopbackTest {
    @Test
    void sqlConditionAgreesWithIsLoopback() throws Exception {
        Random random = new Random(20261202L);
        List<IpAddress> addresses = new ArrayList<>();
        for (String s : List.of("127.0.0.1", "127.255.255.255", "127.0.0.0", "126.255.255.255", "128.0.0.1",
                "12.7.0.1", "1.127.0.1", "::1", "::", "::2", "::ffff:127.0.0.1", "::127.0.0.1", "fe80::1", "1::1")) {
            addresses.add(IpAddress.parse(s));
        }
        for (int i = 0; i < 2000; i++) {
            int v4 = random.nextInt();
            addresses.add(IpAddress.ofV4(i % 4 == 0 ? (127 << 24) | (v4 & 0xffffff) : v4));
            long lo = i % 5 == 0 ? random.nextInt(4) : random.nextLong();
            addresses.add(IpAddress.of(i % 3 == 0 ? 0 : random.nextLong(), lo));
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement ps = c.prepareStatement("SELECT " + IpAddress.loopbackSql("a") + " FROM (SELECT ?::VARCHAR AS a)")) {
            int loopbacks = 0;
            for (IpAddress a : addresses) {
                ps.setString(1, a.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as(a.toString()).isEqualTo(a.isLoopback());
                }
                loopbacks += a.isLoopback() ? 1 : 0;
            }
            assertThat(loopbacks).as("both outcomes exercised").isBetween(100, addresses.size() - 100);
        }
    }

    @Test
    void textForPeopleNamesTheSameRule() {
        assertThat(IpAddress.LOOPBACK_TEXT).isEqualTo("127.0.0.0/8, ::1");
        assertThat(IpAddress.parse("127.0.0.0").isLoopback()).isTrue();
        assertThat(IpAddress.parse("::1").isLoopback()).isTrue();
    }
}
