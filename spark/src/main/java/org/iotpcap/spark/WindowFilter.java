package org.iotpcap.spark;

import java.util.BitSet;
import org.iotpcap.analysis.TimeWindow;
import org.iotpcap.table.Batch;
import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/**
 * The source's time window on one table's rows, by the table's {@link TimeWindow.Rule} (the rule DuckDB's views
 * say in SQL): a row's own time in the window; or its frame, or one frame of its span, among the frames of the
 * window, which a first pass over the same capture finds ({@link #frame}), so they are this capture's frames.
 */
final class WindowFilter {
    private final TimeWindow.Rule rule;
    private final long from;
    private final long to;
    private final Column.Int64 time;
    private final Column.Int64 first;
    private final Column.Int64 last;
    private final BitSet frames = new BitSet();

    private WindowFilter(TableDeclaration table, TimeWindow.Rule rule, Long fromNanos, Long toNanos) {
        this.rule = rule;
        this.from = fromNanos == null ? Long.MIN_VALUE : fromNanos;
        this.to = toNanos == null ? Long.MAX_VALUE : toNanos;
        this.time = rule instanceof TimeWindow.OwnTime t ? (Column.Int64) table.column(t.nanosColumn()) : null;
        this.first = switch (rule) {
            case TimeWindow.FrameIn f -> (Column.Int64) table.column(f.frameColumn());
            case TimeWindow.FrameSpan f -> (Column.Int64) table.column(f.firstFrameColumn());
            case TimeWindow.OwnTime t -> null;
        };
        this.last = rule instanceof TimeWindow.FrameSpan f ? (Column.Int64) table.column(f.lastFrameColumn()) : null;
    }

    /** The filter of the options' window on their table; null without a window or for a table it leaves whole. */
    static WindowFilter of(ReadOptions options) {
        TimeWindow.Rule rule = TimeWindow.rule(options.table());
        return !options.windowed() || rule == null ? null
                : new WindowFilter(options.declaration(), rule, options.fromNanos(), options.toNanos());
    }

    /** The columns {@link #keep} reads, which the pass must fill whatever the query reads. */
    java.util.List<Column> columns() {
        return java.util.stream.Stream.<Column>of(time, first, last).filter(java.util.Objects::nonNull).toList();
    }

    /** Whether the window's frames must be known first (a pass over the frames table). */
    boolean needsFrames() {
        return !(rule instanceof TimeWindow.OwnTime);
    }

    /** Told of every frame of the capture during the first pass. */
    void frame(long number, long timeNanos) {
        if (timeNanos >= from && timeNanos < to) {
            if (number > Integer.MAX_VALUE) {
                throw new IllegalStateException("frame " + number + ": a time window on this table needs fewer than 2^31 frames per capture");
            }
            frames.set((int) number);
        }
    }

    boolean keep(Batch b, int row) {
        return switch (rule) {
            case TimeWindow.OwnTime t -> !b.isNull(time, row) && b.getLong(time, row) >= from && b.getLong(time, row) < to;
            case TimeWindow.FrameIn f -> !b.isNull(first, row) && inWindow(b.getLong(first, row));
            case TimeWindow.FrameSpan f -> !b.isNull(first, row) && !b.isNull(last, row)
                    && spans(b.getLong(first, row), b.getLong(last, row));
        };
    }

    private boolean inWindow(long frame) {
        return frame >= 0 && frame <= Integer.MAX_VALUE && frames.get((int) frame);
    }

    private boolean spans(long firstFrame, long lastFrame) {
        if (lastFrame < 0 || firstFrame > Integer.MAX_VALUE) {
            return false;
        }
        int next = frames.nextSetBit((int) Math.max(0, firstFrame));
        return next >= 0 && next <= lastFrame;
    }
}
