package org.iotpcap.dissect.coap;

import java.util.Map;

/**
 * Content-Format names (RFC 7252 section 12.3 registry), exactly the 42 that tshark 4.0 names in
 * {@code coap.opt.ctype}; any other number is {@code Unknown Type N}, as tshark prints it.
 */
public final class CoapContentFormats {
    private CoapContentFormats() {}

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "text/plain; charset=utf-8"),
            Map.entry(40, "application/link-format"),
            Map.entry(41, "application/xml"),
            Map.entry(42, "application/octet-stream"),
            Map.entry(47, "application/exi"),
            Map.entry(50, "application/json"),
            Map.entry(51, "application/json-patch+json"),
            Map.entry(52, "application/merge-patch+json"),
            Map.entry(60, "application/cbor"),
            Map.entry(61, "application/cwt"),
            Map.entry(62, "application/multipart-core"),
            Map.entry(96, "application/cose; cose-type=\"cose-encrypt\""),
            Map.entry(97, "application/cose; cose-type=\"cose-mac\""),
            Map.entry(98, "application/cose; cose-type=\"cose-sign\""),
            Map.entry(101, "application/cose-key"),
            Map.entry(102, "application/cose-key-set"),
            Map.entry(110, "application/senml+json"),
            Map.entry(111, "application/sensml+json"),
            Map.entry(112, "application/senml+cbor"),
            Map.entry(113, "application/sensml+cbor"),
            Map.entry(114, "application/senml-exi"),
            Map.entry(115, "application/sensml-exi"),
            Map.entry(256, "application/coap-group+json"),
            Map.entry(271, "application/dots+cbor"),
            Map.entry(272, "application/missing-blocks+cbor-seq"),
            Map.entry(280, "application/pkcs7-mime; smime-type=server-generated-key"),
            Map.entry(281, "application/pkcs7-mime; smime-type=certs-only"),
            Map.entry(284, "application/pkcs8"),
            Map.entry(285, "application/csrattrs"),
            Map.entry(286, "application/pkcs10"),
            Map.entry(287, "application/pkix-cert"),
            Map.entry(310, "application/senml+xml"),
            Map.entry(311, "application/sensml+xml"),
            Map.entry(320, "application/senml-etch+json"),
            Map.entry(322, "application/senml-etch+cbor"),
            Map.entry(432, "application/td+json"),
            Map.entry(1542, "application/vnd.oma.lwm2m+tlv"),
            Map.entry(1543, "application/vnd.oma.lwm2m+json"),
            Map.entry(10000, "application/vnd.ocf+cbor"),
            Map.entry(10001, "application/oscore"),
            Map.entry(11542, "application/vnd.oma.lwm2m+tlv"),
            Map.entry(11543, "application/vnd.oma.lwm2m+json"));

    /** The media type text for a Content-Format number. */
    public static String name(int contentFormat) {
        String n = NAMES.get(contentFormat);
        return n != null ? n : "Unknown Type " + contentFormat;
    }
}
