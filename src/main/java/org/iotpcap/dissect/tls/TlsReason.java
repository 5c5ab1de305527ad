package org.iotpcap.dissect.tls;

import org.iotpcap.dissect.Reason;

/** Why a TLS handshake message is malformed; the code appears in the {@code malformed} table. */
public enum TlsReason implements Reason {
    /** Shorter than its fixed fields. */
    TOO_SHORT,
    /** A length field points past its container. */
    BAD_LENGTH,
    /** The extensions block does not parse. */
    BAD_EXTENSION,
    /** A certificate that java.security.cert.CertificateFactory rejects. */
    BAD_CERTIFICATE,
    /** A TLS 1.3 KeyUpdate that is not one byte 0 or 1, or comes before its sender's Finished. */
    BAD_KEY_UPDATE,
    /** A handshake message longer than the session holds while it is reassembled. */
    HANDSHAKE_TOO_LONG,
    /** A DTLS handshake fragment that disagrees with its message (type, length) or reaches past it. */
    BAD_FRAGMENT
}
