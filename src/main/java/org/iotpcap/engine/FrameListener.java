package org.iotpcap.engine;

import org.iotpcap.capture.CaptureRecord;
import org.iotpcap.ip.IpPacket;
import org.iotpcap.transport.tcp.TcpConnection;

/**
 * Sees every frame once its headers were read and its transport payload was handed to the stream and
 * datagram listeners. {@code ip} is null for frames without IP; {@code transport} is 6, 17, another IP
 * protocol, or -1; {@code stream} is the TCP connection index or UDP flow index, -1 for neither;
 * {@code connection} is the frame's TCP connection, or null.
 */
@FunctionalInterface
public interface FrameListener {
    void onFrame(CaptureRecord record, IpPacket ip, int transport, int srcPort, int dstPort, long stream,
                 TcpConnection connection);
}
