package org.iotpcap.capture;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A refillable window over an input stream: {@link #ensure} makes n bytes available at {@link #pos()},
 * growing the buffer only for a record larger than it. Memory is the buffer, whatever the file size.
 *
 * <p>Bytes handed out (the array and an offset) stay valid until the next {@link #ensure} call.
 */
final class ByteSource {
    private static final int INITIAL = 1 << 20;

    private final InputStream in;
    private byte[] buf = new byte[INITIAL];
    private int pos;
    private int limit;
    private long bufferStartOffset;
    private boolean eof;
    /** True when a compressed input ended before its end marker (a .gz file cut short, or damaged). */
    private boolean cutShort;
    /** The inflater's message when the compressed data was damaged (null: not damaged). */
    private String corrupt;

    ByteSource(InputStream in) {
        this.in = in;
    }

    /**
     * Makes at least {@code n} bytes available from {@link #pos()}; false when the input ends first
     * (then {@link #available()} tells how many there are).
     */
    boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (eof) {
            return false;
        }
        if (n > buf.length) {
            byte[] bigger = new byte[Math.max(n, buf.length * 2)];
            System.arraycopy(buf, pos, bigger, 0, limit - pos);
            buf = bigger;
        } else if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
        }
        bufferStartOffset += pos;
        limit -= pos;
        pos = 0;
        while (limit < n) {
            int r;
            try {
                r = in.read(buf, limit, buf.length - limit);
            } catch (java.io.EOFException e) {
                // GZIPInputStream throws this when the compressed file is cut short ("Unexpected end of ZLIB
                // input stream", or a missing trailer). Keep what was decompressed and end there, as for a plain
                // file cut short; the reader turns it into its one warning (see cutShort()).
                cutShort = true;
                eof = true;
                return false;
            } catch (java.util.zip.ZipException e) {
                // Damaged compressed data ("invalid literal/lengths set", a CRC mismatch): the same, with the
                // inflater's reason kept for the warning.
                cutShort = true;
                corrupt = e.getMessage();
                eof = true;
                return false;
            }
            if (r < 0) {
                eof = true;
                return false;
            }
            limit += r;
        }
        return true;
    }

    /** After a large record, go back to a normal-sized buffer so one huge block does not pin memory. */
    void shrinkIfLarge() {
        if (buf.length > 4 * INITIAL && limit - pos <= INITIAL) {
            byte[] small = new byte[INITIAL];
            System.arraycopy(buf, pos, small, 0, limit - pos);
            bufferStartOffset += pos;
            limit -= pos;
            pos = 0;
            buf = small;
        }
    }

    /** True when the input ended inside a compressed stream (the file was cut short). */
    boolean cutShort() {
        return cutShort;
    }

    /** Why the compressed data could not be inflated, or null. */
    String corrupt() {
        return corrupt;
    }

    int available() {
        return limit - pos;
    }

    byte[] array() {
        return buf;
    }

    int pos() {
        return pos;
    }

    void skip(int n) {
        pos += n;
    }

    /** Offset in the (decompressed) input of the next unread byte. */
    long offset() {
        return bufferStartOffset + pos;
    }

    /** True when no byte is left. */
    boolean atEnd() throws IOException {
        return !ensure(1);
    }

    /**
     * Counts the bytes read from the stream under it (the file or standard input, before gzip): how far a
     * compressed input is read, in the units of the file's size.
     */
    static final class Counting extends FilterInputStream {
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += Math.max(k, 0);
            return k;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
