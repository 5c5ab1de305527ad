package org.iotpcap.cli;

import java.sql.SQLException;

/** An error in the user's SQL: DuckDB's message (with its position), on one line. */
final class SqlUserException extends RuntimeException {
    SqlUserException(SQLException cause) {
        super("SQL error: " + cause.getMessage().strip().replaceAll("\\s*\\n\\s*", " | "), cause);
    }
}
