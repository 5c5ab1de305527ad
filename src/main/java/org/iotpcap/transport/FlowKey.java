package org.iotpcap.transport;

/**
 * A transport flow between two endpoints, direction-free: the endpoints are stored in a canonical order.
 * Mutable so that the hot path can probe a {@link FlowTable} with one reused instance ({@link #set}); the table
 * copies the fields in. As a key of another map, store only {@link #copy()}s.
 */
public final class FlowKey {
    long aHi;
    long aLo;
    long bHi;
    long bLo;
    int aPort;
    int bPort;
    int protocol;

    /** Sets the key from one packet's endpoints; returns true when (src, srcPort) is the canonical first endpoint. */
    public boolean set(int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        this.protocol = protocol;
        int c = Long.compareUnsigned(srcHi, dstHi);
        if (c == 0) {
            c = Long.compareUnsigned(srcLo, dstLo);
        }
        if (c == 0) {
            c = Integer.compare(srcPort, dstPort);
        }
        boolean srcFirst = c <= 0;
        if (srcFirst) {
            aHi = srcHi; aLo = srcLo; aPort = srcPort; bHi = dstHi; bLo = dstLo; bPort = dstPort;
        } else {
            aHi = dstHi; aLo = dstLo; aPort = dstPort; bHi = srcHi; bLo = srcLo; bPort = srcPort;
        }
        return srcFirst;
    }

    public FlowKey copy() {
        FlowKey k = new FlowKey();
        k.aHi = aHi; k.aLo = aLo; k.bHi = bHi; k.bLo = bLo; k.aPort = aPort; k.bPort = bPort;
        k.protocol = protocol;
        return k;
    }

    @Override
    public int hashCode() {
        long h = aHi * 31 + aLo;
        h = h * 31 + bHi;
        h = h * 31 + bLo;
        h = h * 31 + ((long) aPort << 16 | bPort);
        h = h * 31 + protocol;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && k.aLo == aLo && k.bLo == bLo && k.aPort == aPort && k.bPort == bPort
                && k.aHi == aHi && k.bHi == bHi && k.protocol == protocol;
    }
}
