package org.iotpcap.semantic;

import java.util.Objects;
import org.iotpcap.transport.Endpoint;

/**
 * A broker and a name under it, as a hash key: a topic (publishes, retained messages) or a client key
 * (sessions, clients). {@code equals} and {@code hashCode} are written out: a record's generated ones are
 * method-handle chains, which cost about a tenth of the semantic model's time in a profile of {@code run all}
 * (2026-12-04), most of it before C2 had compiled them ({@link org.iotpcap.ip.IpAddress} says the same).
 */
record BrokerKey(Endpoint broker, String name) {
    @Override
    public boolean equals(Object o) {
        return o instanceof BrokerKey k && Objects.equals(k.name, name) && Objects.equals(k.broker, broker);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(broker) * 31 + Objects.hashCode(name);
    }
}
