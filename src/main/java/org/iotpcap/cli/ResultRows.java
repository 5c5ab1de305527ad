package org.iotpcap.cli;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Rows as the output formats read them, one at a time: the column labels, then each row's values as the engine
 * gives them (DuckDB's JDBC values, or Spark's). {@link org.iotpcap.analysis.SqlValues#plain} makes them plain.
 */
public interface ResultRows {
    List<String> columns() throws SQLException;

    /** Moves to the next row; false after the last. */
    boolean next() throws SQLException;

    /** Column {@code i} (0-based) of the current row. */
    Object value(int i) throws SQLException;

    static ResultRows of(ResultSet rs) {
        return new ResultRows() {
            @Override
            public List<String> columns() throws SQLException {
                return Json.columns(rs);
            }

            @Override
            public boolean next() throws SQLException {
                return rs.next();
            }

            @Override
            public Object value(int i) throws SQLException {
                return rs.getObject(i + 1);
            }
        };
    }
}
