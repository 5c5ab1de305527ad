package org.iotpcap.transport;

import org.iotpcap.ip.IpAddress;

/** An IP address and port. */
public record Endpoint(IpAddress address, int port) {
    /** Written out rather than generated, as in {@link IpAddress}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && e.port == port && e.address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + port;
    }

    @Override
    public String toString() {
        return address.v4() ? address + ":" + port : "[" + address + "]:" + port;
    }
}
