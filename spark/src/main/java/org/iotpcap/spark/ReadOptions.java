package org.iotpcap.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
import org.iotpcap.dissect.tls.TlsSecrets;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.semantic.tables.Tables;
import org.iotpcap.table.TableDeclaration;

/**
 * The options of {@code spark.read.format("iotpcap")}, the same as the CLI's (names case-insensitive, as every
 * Spark option):
 * <ul>
 *   <li>{@code table}: the table to read, one of docs/tables.md's (required);</li>
 *   <li>{@code decode}: decode-as bindings, comma-separated, as {@code --decode} reads them
 *       ({@code udp.port==5000:coap,tcp.port==1884:mqtt});</li>
 *   <li>{@code heuristics}: {@code false} as {@code --no-heuristics};</li>
 *   <li>{@code keepSecrets}: {@code true} as {@code --keep-secrets};</li>
 *   <li>{@code continuous}: {@code true} as {@code --continuous}: every file given is one capture in time order,
 *       read by one task (one partition);</li>
 *   <li>{@code from}, {@code to}: the time window, ISO 8601 as {@code --from}/{@code --to} read it, each end
 *       optional; {@code tz}: the zone of a time without an offset (default UTC), as {@code --tz};</li>
 *   <li>{@code keylog}: NSS key logs, as {@code --keylog}: paths on any Hadoop file system, one per line, read on
 *       the driver (a key log is small) and handed to the tasks as text;</li>
 *   <li>{@code psk}: DTLS pre-shared keys, as {@code --psk}: {@code IDENTITY:HEX}, one per line.</li>
 * </ul>
 * Nothing prints the secrets: {@link #toString()} names the identities and counts the key logs.
 *
 * @param fromNanos the window's start, nanoseconds since the epoch (null: open)
 * @param toNanos the window's end, exclusive (null: open)
 * @param keyLogs the key logs' text
 * @param psks the pre-shared keys by identity
 */
public record ReadOptions(String table, List<String> decode, boolean heuristics, boolean keepSecrets,
                          boolean continuous, Long fromNanos, Long toNanos, List<String> keyLogs,
                          Map<String, byte[]> psks) implements Serializable {
    public ReadOptions {
        decode = List.copyOf(decode);
        keyLogs = List.copyOf(keyLogs);
        psks = Map.copyOf(psks);
    }

    /** Never prints the secrets. */
    @Override
    public String toString() {
        return "ReadOptions[table=" + table + ", decode=" + decode + ", heuristics=" + heuristics + ", keepSecrets="
                + keepSecrets + ", continuous=" + continuous + ", from=" + fromNanos + ", to=" + toNanos
                + ", keyLogs=" + keyLogs.size() + ", psks=" + psks.keySet() + "]";
    }

    /** These options with the text of the key logs ({@link #keyLogPaths} read). */
    ReadOptions withKeyLogs(List<String> texts) {
        return new ReadOptions(table, decode, heuristics, keepSecrets, continuous, fromNanos, toNanos, texts, psks);
    }

    /** The key logs option {@code keylog} names, one per line. */
    static List<String> keyLogPaths(Map<String, String> options) {
        return lines(options.get("keylog"));
    }

    private static List<String> lines(String value) {
        return value == null ? List.of() : value.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    static ReadOptions of(Map<String, String> options) {
        String table = options.get("table");
        if (table == null || Tables.byName(table) == null) {
            throw new IllegalArgumentException((table == null ? "option 'table' is required"
                    : "no table '" + table + "'") + "; the tables: "
                    + String.join(", ", Tables.ALL.stream().map(TableDeclaration::name).toList()));
        }
        List<String> decode = new ArrayList<>();
        String d = options.get("decode");
        if (d != null) {
            // a comma before the next binding separates two; udp.port==5000,coap (tshark's own comma) stays whole
            for (String b : d.split(",(?=\\s*(?i:udp|tcp)\\.)")) {
                if (!b.isBlank()) {
                    decode.add(Binding.parse(b.strip()).toString());
                }
            }
        }
        java.time.ZoneId zone = java.time.ZoneId.of(options.getOrDefault("tz", "UTC"));
        Map<String, byte[]> psks = new java.util.HashMap<>();
        for (String p : lines(options.get("psk"))) {
            try {
                Map.Entry<String, byte[]> e = TlsSecrets.parsePsk(p);
                psks.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("option 'psk': bad key " + e.getMessage());
            }
        }
        return new ReadOptions(table, decode, bool(options, "heuristics", true), bool(options, "keepSecrets", false),
                bool(options, "continuous", false), time(options.get("from"), zone), time(options.get("to"), zone),
                List.of(), psks);
    }

    private static Long time(String iso, java.time.ZoneId zone) {
        return iso == null || iso.isBlank() ? null : org.iotpcap.analysis.TimeWindow.Point.parse(iso).nanos(zone);
    }

    /** Whether a time window is set. */
    boolean windowed() {
        return fromNanos != null || toNanos != null;
    }

    private static boolean bool(Map<String, String> options, String key, boolean otherwise) {
        String v = options.get(key);
        if (v == null) {
            return otherwise;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option '" + key + "' must be true or false, not '" + v + "'");
        };
    }

    TableDeclaration declaration() {
        return Tables.byName(table);
    }

    /** The pipeline options of one task (limits for the executor's heap). */
    Pipeline.Options pipeline() {
        List<Binding> bindings = decode.stream().map(Binding::parse).toList();
        return new Pipeline.Options(new Bindings(bindings, heuristics ? Heuristics.DEFAULTS : Heuristics.NONE),
                keepSecrets, limits()).withKeyLogTexts(keyLogs).withPsks(psks);
    }

    /** The limits of a task's pass, for the executor's heap (every pass over a partition has the same). */
    static Limits limits() {
        return Limits.forThisHeap();
    }
}
