package org.iotpcap.transport.udp;

/** Receives UDP datagrams in capture order. The datagram cursor is reused: copy what must outlive the call. */
@FunctionalInterface
public interface UdpListener {
    void onDatagram(UdpDatagram datagram);
}
