package org.iotpcap.semantic;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.coap.CoapMessage;
import org.iotpcap.semantic.tables.CoapNotifications;
import org.iotpcap.table.RowWriter;
import org.iotpcap.table.TableSink;
import org.iotpcap.transport.Endpoint;

/**
 * CoAP Observe (RFC 7641): a GET with Observe 0 registers (client, server, token); every response from that
 * server to that client with the token and an Observe option is a notification, written to
 * {@code coap_notifications}. A notification whose Message ID the server already used for this observation is a
 * retransmission; otherwise it is {@code fresh} when its sequence number is newer than the last fresh one by
 * the rule of RFC 7641 section 3.4 (24-bit serial arithmetic, or more than 128 s later), and stale when not.
 */
final class CoapObservations {
    static final int MAX_REGISTRATIONS = 100_000;
    private static final long REORDER_NANOS = 128_000_000_000L;

    private static final class Registration {
        final String path;
        final long frame;
        long lastSeq = -1;
        long lastNanos;
        ByteView lastPayload;
        final Set<Integer> mids = new HashSet<>();

        Registration(String path, long frame) {
            this.path = path;
            this.frame = frame;
        }
    }

    private final RowWriter notifications;
    private final Map<TokenKey, Registration> registrations = new HashMap<>();

    CoapObservations(TableSink sink) {
        this.notifications = sink.writer(CoapNotifications.T);
    }

    void request(MessageContext c, CoapMessage m) {
        Integer obs = m.observe();
        if (obs != null && obs == 0 && registrations.size() < MAX_REGISTRATIONS) {
            registrations.put(new TokenKey(c.src(), c.dst(), m.token()), new Registration(m.uriPath(), c.frame()));
        }
    }

    void response(MessageContext c, CoapMessage m) {
        Integer obs = m.observe();
        if (obs == null) {
            return;
        }
        Registration r = registrations.get(new TokenKey(c.dst(), c.src(), m.token()));
        if (r == null) {
            return;
        }
        boolean retransmission = m.type() != org.iotpcap.dissect.coap.CoapType.ACK && !r.mids.add(m.messageId());
        long v2 = obs & 0xffffffL;
        boolean fresh = false;
        ByteView payload = m.payload();
        boolean samePayload = r.lastPayload != null && r.lastPayload.equals(payload);
        if (!retransmission) {
            long v1 = r.lastSeq;
            fresh = v1 < 0
                    || (v1 < v2 && v2 - v1 < (1L << 23))
                    || (v1 > v2 && v1 - v2 > (1L << 23))
                    || c.nanos() > r.lastNanos + REORDER_NANOS;
            if (fresh) {
                r.lastSeq = v2;
                r.lastNanos = c.nanos();
                r.lastPayload = payload;
            }
        }
        CoapNotifications t = CoapNotifications.T;
        notifications.begin().set(t.client, c.dst().address().toString()).set(t.clientPort, c.dst().port())
                .set(t.server, c.src().address().toString()).set(t.serverPort, c.src().port())
                .set(t.token, m.token()).set(t.path, r.path).set(t.registrationFrame, r.frame)
                .set(t.frame, c.frame()).set(t.timeNs, c.nanos()).set(t.type, m.type().name())
                .set(t.mid, m.messageId()).set(t.code, m.codeText()).set(t.observe, v2)
                .set(t.payloadLength, payload.length()).set(t.payloadText, m.payloadText())
                .set(t.retransmission, retransmission).set(t.fresh, fresh).set(t.samePayloadAsPrevious, samePayload)
                .end();
    }
}
