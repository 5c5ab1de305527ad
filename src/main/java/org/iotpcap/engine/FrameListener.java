package org.iotpcap.engine;

import org.iotpcap.capture.CaptureRecord;
import org.iotpcap.ip.IpPacket;

/**
 * Sees every frame after its network and transport headers were read, before its transport payload goes
 * to the stream and datagram listeners. {@code ip} is null for frames without IP; {@code transport} is
 * 6, 17, another IP protocol, or -1.
 */
@FunctionalInterface
public interface FrameListener {
    void onFrame(CaptureRecord record, IpPacket ip, int transport, int srcPort, int dstPort);
}
