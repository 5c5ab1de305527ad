package org.iotpcap.dissect.dns;

import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.Reason;

/** Why a DNS message (RFC 1035) is malformed. */
public enum DnsReason implements Reason {
    /** Fewer than the 12 header octets (RFC 1035 section 4.1.1). */
    HEADER_TOO_SHORT,
    /** A question or resource record runs past the end of the message. */
    RECORD_PAST_END,
    /** A name's labels run past the end of the message. */
    NAME_PAST_END,
    /** A compression pointer (RFC 1035 section 4.1.4) points at or beyond the end of the message. */
    POINTER_OUT_OF_RANGE,
    /** A compression pointer leads back to a pointer already followed. */
    POINTER_LOOP,
    /** More compression pointers in one name than {@link Limits.Dns#maxPointerHops()}. */
    TOO_MANY_POINTER_HOPS,
    /** The expanded name exceeds 255 octets (RFC 1035 section 3.1). */
    NAME_TOO_LONG,
    /** Label type 01 (extended, RFC 6891 section 5) or 10 (reserved): not decodable (RFC 1035 section 4.1.4). */
    UNSUPPORTED_LABEL_TYPE,
    /** A section count exceeds {@link Limits.Dns#maxRecordsPerSection()}. */
    TOO_MANY_RECORDS,
    /** RDLENGTH does not fit the type: A must be 4 octets, AAAA 16 (RFC 1035 3.4.1, RFC 3596 2.2). */
    BAD_RDATA_LENGTH,
    /** A CNAME's name does not end exactly at the end of its RDATA. */
    RDATA_NAME_MISMATCH
}
