package org.iotpcap.semantic;

import java.util.Objects;
import org.iotpcap.transport.Endpoint;

/**
 * A CoAP client, its server and a token, as a hash key: what ties a separate response or a notification to its
 * request (RFC 7252 5.3.2, RFC 7641 3.2). {@code equals} and {@code hashCode} are written out, as in
 * {@link BrokerKey}.
 */
record TokenKey(Endpoint client, Endpoint server, String token) {
    @Override
    public boolean equals(Object o) {
        return o instanceof TokenKey k && Objects.equals(k.token, token) && Objects.equals(k.client, client)
                && Objects.equals(k.server, server);
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(client) * 31 + Objects.hashCode(server)) * 31 + Objects.hashCode(token);
    }
}
