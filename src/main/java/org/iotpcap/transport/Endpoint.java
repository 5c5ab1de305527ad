package org.iotpcap.transport;

import org.iotpcap.ip.IpAddress;

/** An IP address and port. */
public record Endpoint(IpAddress address, int port) {
    @Override
    public String toString() {
        return address.v4() ? address + ":" + port : "[" + address + "]:" + port;
    }
}
