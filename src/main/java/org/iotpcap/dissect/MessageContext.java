package org.iotpcap.dissect;

import org.iotpcap.transport.Endpoint;

/**
 * Where a decoded message lies in the capture.
 *
 * @param frame the frame of its first byte; {@code endFrame} the frame of its last (equal for UDP)
 * @param flow the TCP connection index (tshark's tcp.stream) or the UDP flow index
 * @param transport "udp", "tcp", "tls" (decrypted TLS records), "ws" (WebSocket frames over TCP) or "wss"
 *     (WebSocket frames inside decrypted TLS)
 */
public record MessageContext(long frame, long endFrame, long nanos, long endNanos, String transport, long flow,
                             Endpoint src, Endpoint dst) {}
