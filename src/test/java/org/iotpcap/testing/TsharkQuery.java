package org.iotpcap.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.testing.TestCaptures.TestCapture;

/**
 * One protocol's question to tshark in a conformance test: a display filter and the {@code -T fields} fields
 * compared, {@code frame.number} first (the key of every row). {@code name} names the checked-in output
 * ({@link TsharkRecords}), so each query of a capture has its own file.
 *
 * @param name short protocol name: {@code dns}, {@code coap}, {@code mqtt}, {@code mqttsn}
 * @param displayFilter tshark's {@code -Y}
 * @param fields the fields, {@code frame.number} first
 */
public record TsharkQuery(String name, String displayFilter, List<String> fields) {
    public static final String FRAME = "frame.number";

    public TsharkQuery {
        fields = List.copyOf(fields);
        if (fields.isEmpty() || !fields.get(0).equals(FRAME)) {
            throw new IllegalArgumentException("the first field must be " + FRAME + ": " + fields);
        }
    }

    /** A query of {@code frame.number} followed by {@code compared}. */
    public static TsharkQuery of(String name, String displayFilter, List<String> compared) {
        List<String> all = new ArrayList<>(List.of(FRAME));
        all.addAll(compared);
        return new TsharkQuery(name, displayFilter, all);
    }

    /** The fields compared: all but {@code frame.number}. */
    public List<String> compared() {
        return fields.subList(1, fields.size());
    }

    /** tshark's options for this capture: its own ({@link TestCapture#tsharkOptions()}) then {@code -Y filter}. */
    public List<String> options(TestCapture tc) {
        List<String> o = new ArrayList<>(tc.tsharkOptions());
        o.add("-Y");
        o.add(displayFilter);
        return o;
    }

    /** The full command line, as {@link Tshark#fields} runs it on {@code capture}. */
    public List<String> command(TestCapture tc, Path capture) {
        return Tshark.command(capture, options(tc), fields);
    }
}
