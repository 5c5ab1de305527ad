package org.iotpcap.capture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.Limits;

/** Test helper: reads every record of capture bytes, keeping copies and every diagnostic reported. */
public final class Read {
    /** One record, copied out of the reader's buffer. */
    public record Frame(long number, long nanos, int interfaceId, int linkType, byte[] data, long originalLength) {}

    /** A diagnostic as reported. */
    public record Problem(long frame, String layer, String reason, String detail) {}

    public final List<Frame> frames = new ArrayList<>();
    public final List<Problem> problems = new ArrayList<>();
    public CaptureReader reader;

    public static Read all(byte[] capture) throws IOException {
        return all(capture, Limits.DEFAULTS);
    }

    public static Read all(byte[] capture, Limits limits) throws IOException {
        Read r = new Read();
        try (CaptureReader reader = Captures.open(new ByteArrayInputStream(capture),
                (frame, layer, reason, detail) -> r.problems.add(new Problem(frame, layer.label(), reason, detail)),
                limits)) {
            r.reader = reader;
            CaptureRecord rec = new CaptureRecord();
            while (reader.next(rec)) {
                r.frames.add(new Frame(rec.frameNumber(), rec.timestampNanos(), rec.interfaceId(), rec.linkType(),
                        rec.copyData(), rec.originalLength()));
            }
        }
        return r;
    }

    public List<String> reasons() {
        return problems.stream().map(Problem::reason).toList();
    }
}
