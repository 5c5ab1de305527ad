package org.iotpcap.dissect.tls;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.iotpcap.bytes.ByteView;

/**
 * The server's own certificate (the first of the Certificate message's list), as X.509 names and validity
 * (RFC 5280 section 4.1.2.4-6), parsed by {@link CertificateFactory}.
 *
 * @param subject the subject distinguished name, RFC 2253 form
 * @param notBeforeMillis start of validity, milliseconds since the epoch
 */
public record TlsCertificateInfo(String subject, String issuer, long notBeforeMillis, long notAfterMillis) {

    /**
     * The first certificate of a Certificate handshake message body: TLS 1.2 (RFC 5246 section 7.4.2)
     * {@code certificate_list<0..2^24-1>} of {@code ASN.1Cert<1..2^24-1>}; TLS 1.3 (RFC 8446 section 4.4.2) adds
     * {@code certificate_request_context<0..2^8-1>} before it and {@code extensions} after each entry. Null when
     * the list is empty; a {@link TlsReason} detail string via {@code error} when it does not parse.
     */
    public static TlsCertificateInfo decode(ByteView body, boolean tls13, StringBuilder error) {
        int at = 0;
        if (tls13) {
            if (body.length() < 1) {
                error.append("Certificate without its request context");
                return null;
            }
            at = 1 + body.u8(0);
        }
        if (at + 3 > body.length()) {
            error.append("certificate list length cut short");
            return null;
        }
        int listLen = body.u24(at);
        at += 3;
        if (listLen == 0) {
            return null;
        }
        if (at + 3 > body.length() || at + 3 + body.u24(at) > body.length()) {
            error.append("certificate length exceeds the message");
            return null;
        }
        int n = body.u24(at);
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(body.array(), body.arrayOffset() + at + 3, n));
            return new TlsCertificateInfo(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                    c.getNotBefore().getTime(), c.getNotAfter().getTime());
        } catch (CertificateException | RuntimeException e) {
            error.append("X.509 certificate does not parse: ").append(e.getMessage());
            return null;
        }
    }
}
