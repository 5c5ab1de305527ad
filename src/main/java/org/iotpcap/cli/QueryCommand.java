package org.iotpcap.cli;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import org.iotpcap.semantic.tables.Names;
import org.iotpcap.sql.SqlWords;
import org.iotpcap.table.Projection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code iotpcap query CAPTURE... "SQL"}: SQL over the tables of docs/tables.md, on an embedded DuckDB. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run SQL over the tables (docs/tables.md) built from a capture or read from an index.")
final class QueryCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "CAPTURE... SQL", description = {
            "capture files, directories (every *.pcap, *.pcapng, *.cap, *.gz under it) or globs; - for stdin; or "
                    + "one database from 'iotpcap index'",
            "then the query, last, e.g. \"SELECT type, count(*) FROM mqtt_messages GROUP BY type\""})
    List<String> args;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE})")
    Tables.Format format;

    @Option(names = "--limit", paramLabel = "N", description = "print at most N rows (the table's count is still the total)")
    Long limit;

    @Option(names = "--all-tables", description = {
            "fill every table from a capture, not only those the SQL names (a query reads a table it does not name "
                    + "only through the catalog or a name it builds, which fills every table anyway)"})
    boolean allTables;

    @Option(names = "--allow-files", description = "let the SQL read and write files (off by default)")
    boolean allowFiles;

    @Mixin
    TimeZoneOption timeZone = new TimeZoneOption();

    @Mixin
    InputOptions options = new InputOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        java.time.ZoneId zone = timeZone.zone();
        if (limit != null && limit < 0) {
            throw new UsageException("--limit must be 0 or more, not " + limit);
        }
        String sql = args.get(args.size() - 1);
        Projection toLoad = allTables ? Projection.ALL : SqlWords.forQuery(sql,
                org.iotpcap.semantic.tables.Tables.ALL, Names.T);
        try (Source.Loaded loaded = Source.open(args.subList(0, args.size() - 1), options, toLoad)) {
            loaded.db().timeZone(zone.getId());
            loaded.db().lockDown(allowFiles);
            PrintWriter out = spec.commandLine().getOut();
            try (Statement s = loaded.db().connection().createStatement()) {
                boolean hasRows = s.execute(sql);
                if (hasRows) {
                    try (ResultSet rs = s.getResultSet()) {
                        Tables.print(out, rs, format, limit == null ? Long.MAX_VALUE : limit);
                    }
                } else {
                    out.println("(" + s.getUpdateCount() + " rows changed)");
                }
            } catch (SQLException e) {
                throw new SqlUserException(e);
            }
            return Problems.exitCode(loaded.summary(), options.strict, spec.commandLine().getErr());
        }
    }
}
