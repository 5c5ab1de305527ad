package org.iotpcap.capture;

/**
 * One captured frame, as a reusable cursor: the reader refills it on every {@code next} call, so reading
 * allocates nothing per frame. {@link #data()} is valid only until the next call.
 */
public final class CaptureRecord {
    long frameNumber;
    long timestampNanos;
    int interfaceId;
    int linkType;
    int capturedLength;
    long originalLength;
    byte[] data;
    int offset;
    long fileOffset;

    /** 1-based, as tshark numbers frames. */
    public long frameNumber() {
        return frameNumber;
    }

    /** Nanoseconds since 1970-01-01T00:00:00Z. */
    public long timestampNanos() {
        return timestampNanos;
    }

    public int interfaceId() {
        return interfaceId;
    }

    public int linkType() {
        return linkType;
    }

    public int capturedLength() {
        return capturedLength;
    }

    /** Length on the wire (may exceed the captured length when the snap length cut the frame). */
    public long originalLength() {
        return originalLength;
    }

    /** The array holding the frame's bytes at {@link #offset()}. */
    public byte[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    /** Offset of the record's block or header in the (decompressed) input. */
    public long fileOffset() {
        return fileOffset;
    }

    /** A copy of the frame's bytes, for code that keeps them. */
    public byte[] copyData() {
        return java.util.Arrays.copyOfRange(data, offset, offset + capturedLength);
    }
}
