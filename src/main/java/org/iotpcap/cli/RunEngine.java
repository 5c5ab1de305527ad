package org.iotpcap.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.iotpcap.analysis.Analysis;
import org.iotpcap.analysis.AnalysisResult;
import org.iotpcap.dissect.Binding;
import org.iotpcap.table.TableDeclaration;

/**
 * Where {@code run}'s analyses run when not on the embedded DuckDB: the command line, its checks, its output
 * and its exit codes stay {@link RunCommand}'s, the engine loads the captures and answers (iotpcap-spark's
 * Spark engine, in the spark module).
 */
public interface RunEngine {
    /**
     * What {@code run} asks of the engine: the capture arguments as given (files, directories, globs; the
     * engine expands them), {@code --continuous}, the bindings (with those the analysis needs), heuristics,
     * {@code --keep-secrets}, the tables the analyses read (null: all), {@code --tz} and the time window (null:
     * open), the {@code --keylog} files as given (the engine reads them, and reports one it cannot read as a usage
     * error naming it) and the {@code --psk} keys by identity (checked).
     */
    record Request(List<String> captures, boolean continuous, List<Binding> decode, boolean heuristics,
                   boolean keepSecrets, Set<TableDeclaration> tables, ZoneId zone, Long fromNanos, Long toNanos,
                   List<String> keyLogs, Map<String, byte[]> psks) {
        public Request {
            keyLogs = List.copyOf(keyLogs);
            psks = Map.copyOf(psks);
        }

        /** Never prints the keys. */
        @Override
        public String toString() {
            return "Request[captures=" + captures + ", keyLogs=" + keyLogs + ", psks=" + psks.keySet() + "]";
        }
    }

    /** Loads the captures for the analyses (lazily or not: the engine's choice). */
    Session open(Request request) throws Exception;

    /** The loaded captures. */
    interface Session extends AutoCloseable {
        /** Runs one analysis, handing its result and its evidence rows (in order) to {@code reader}. */
        AnalysisResult run(Analysis a, Map<String, String> given, Evidence reader) throws Exception;

        /** The exit code once every analysis ran; {@code strict}: 1 when the captures had problems. */
        int exitCode(boolean strict, PrintWriter err) throws Exception;
    }

    /** Reads one result's evidence rows while the engine holds them. */
    @FunctionalInterface
    interface Evidence {
        void read(AnalysisResult r, ResultRows rows) throws SQLException, IOException;

        /**
         * Whether the reader uses the result's evidence frames (its display filter); when not, the engine may
         * leave them out ({@link AnalysisResult#evidenceFrames()} null) rather than gather them from the evidence.
         */
        default boolean framesWanted() {
            return true;
        }
    }
}
