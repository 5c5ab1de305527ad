package org.iotpcap.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * What one task reads: one capture file, or every file of a {@code continuous} set (one capture in time order,
 * never cut: what runs on from one file into the next is one connection, session or exchange, so the set is
 * read by one task). Never part of a file: TCP reassembly, MQTT sessions and CoAP exchanges need a capture from
 * its start. A file of a dataset of several numbers its TCP connections from {@code tcpOffset} and its UDP flows
 * from {@code udpOffset}, the counts of the files before it ({@link CaptureCounts}).
 */
record CapturePartition(List<HadoopCaptures.File> files, long tcpOffset, long udpOffset) implements InputPartition {
    CapturePartition {
        files = List.copyOf(files);
    }
}
