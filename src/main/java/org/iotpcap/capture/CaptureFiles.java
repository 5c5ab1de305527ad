package org.iotpcap.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where captures are opened by name: the local file system and standard input (the CLI), or any other store
 * (the Spark source opens its names through Hadoop's file systems: HDFS, S3, local). The name is also what the
 * rows' {@code capture} column holds.
 */
@FunctionalInterface
public interface CaptureFiles {
    /** The bytes of the capture called {@code name}, as stored (gzip is recognised later, by its magic). */
    InputStream open(String name) throws IOException;

    /** Local files by path, {@code -} for standard input. */
    CaptureFiles LOCAL = Captures::openLocal;
}
