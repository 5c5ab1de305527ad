package org.iotpcap.dissect.tls;

/** What a {@code tls_connections} row reports of a TLS connection ({@link TlsSession}) or DTLS flow ({@link DtlsSession}). */
public interface TlsSummary {
    TlsClientHello clientHello();

    TlsServerHello serverHello();

    /** The server's certificate, null when not seen. */
    TlsCertificateInfo certificate();

    String alpnSelected();

    boolean decrypted();

    /** Why no application data was decrypted, null when it was. */
    String notDecryptedReason();

    /** Record bytes (headers included) from one side. */
    long bytes(boolean fromClient);

    long records(boolean fromClient);

    long plaintextBytes(boolean fromClient);

    /** TLS 1.3 KeyUpdate messages one side sent (seen decrypted); 0 for DTLS 1.2, which has none. */
    default long keyUpdates(boolean fromClient) {
        return 0;
    }

    /** The negotiated version as text ({@code TLS 1.3}, {@code DTLS 1.2}), null without a ServerHello. */
    String versionText();

    /** True for DTLS. */
    default boolean dtls() {
        return false;
    }
}
