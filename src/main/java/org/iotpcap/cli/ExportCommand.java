package org.iotpcap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code iotpcap export CAPTURE --to DIR}: each table to a file through DuckDB's COPY. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export tables to Parquet, CSV or JSON files (one per table, named TABLE.EXT) in a directory.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "capture files, directories (every *.pcap, *.pcapng, *.cap, *.gz under it) or globs; - for stdin; or one database from 'iotpcap index'")
    List<String> inputs;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "directory to write (created if missing)")
    Path dir;

    @Option(names = "--format", defaultValue = "parquet", description = "parquet, csv or json (default: ${DEFAULT-VALUE})")
    ExportFormat format;

    @Option(names = "--tables", split = ",", paramLabel = "a,b", description = "tables to export (default: all)")
    List<String> tables = new ArrayList<>();

    @Option(names = "--partition-by", paramLabel = "capture|date", description = "write each table as a "
            + "Hive-partitioned dataset TABLE/KEY=VALUE/data_N.EXT that Spark, Trino and DuckDB read directly: by "
            + "capture file, or by the UTC date of the table's first time column (tables without one: by capture)")
    Partition partitionBy;

    @Mixin
    InputOptions options = new InputOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    enum ExportFormat { parquet, csv, json }

    enum Partition { capture, date }

    private static String quote(Path p) {
        return p.toString().replace("'", "''");
    }

    /**
     * The first time column of a table's declaration ({@code time}, {@code first_time}, {@code start_time},
     * {@code publish_time}), or null when it has none (malformed, names, mqtt_clients, mqtt_subscriptions,
     * mqtt_wills, coap_transfers) or is not one of iotpcap's tables.
     */
    static String timeColumn(String table) {
        for (TableDeclaration d : org.iotpcap.semantic.tables.Tables.ALL) {
            if (d.name().equals(table)) {
                for (Column c : d.columns()) {
                    if (c instanceof Column.Time) {
                        return c.name();
                    }
                }
            }
        }
        return null;
    }

    @Override
    public Integer call() throws Exception {
        try (Source.Loaded loaded = Source.open(inputs, options)) {
            List<String> known = loaded.db().tables();
            List<String> chosen = tables.isEmpty() ? known : tables;
            for (String t : chosen) {
                if (!known.contains(t)) {
                    throw new UsageException("unknown table '" + t + "' (tables: " + String.join(", ", known) + ")");
                }
            }
            Files.createDirectories(dir);
            loaded.db().useStreamingMemoryLimit();
            for (String t : chosen) {
                // Table names come from the schema (checked above), file names from the table names only:
                // nothing in the capture decides where a file is written (partition values are DuckDB's
                // escaped directory names below the table's directory).
                String opts = switch (format) {
                    case parquet -> "FORMAT parquet";
                    case csv -> "FORMAT csv, HEADER true";
                    case json -> partitionBy == null ? "FORMAT json, ARRAY true" : "FORMAT json";
                };
                if (partitionBy == null) {
                    Path file = dir.resolve(t + "." + format.name()).toAbsolutePath();
                    loaded.db().execute("COPY \"" + t + "\" TO '" + quote(file) + "' (" + opts + ")");
                    spec.commandLine().getOut().println("wrote " + dir.resolve(t + "." + format.name()));
                } else {
                    Path tableDir = dir.resolve(t).toAbsolutePath();
                    String time = partitionBy == Partition.date ? timeColumn(t) : null;
                    String source = time == null ? "\"" + t + "\""
                            : "(SELECT *, CAST(\"" + time + "\" AS DATE) AS date FROM \"" + t + "\")";
                    String key = time == null ? "capture" : "date";
                    loaded.db().execute("COPY " + source + " TO '" + quote(tableDir) + "' (" + opts
                            + ", PARTITION_BY (" + key + "), OVERWRITE_OR_IGNORE true)");
                    spec.commandLine().getOut().println("wrote " + dir.resolve(t) + "/" + key + "=*/");
                }
            }
            return Problems.exitCode(loaded.summary(), options.strict, spec.commandLine().getErr());
        }
    }
}
