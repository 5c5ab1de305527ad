package org.iotpcap.dissect.dns;

import org.iotpcap.ip.IpAddress;

/**
 * One resource record (RFC 1035 section 4.1.3), from any of the answer, authority and additional sections.
 *
 * @param name owner name, as tshark prints {@code dns.resp.name}
 * @param type TYPE
 * @param rrClass CLASS, all 16 bits (for OPT, RFC 6891, it is the requestor's UDP payload size)
 * @param ttl TTL as the unsigned 32-bit value on the wire (for OPT it holds the extended RCODE and flags)
 * @param address the address for A (type 1) and AAAA (type 28), else null
 * @param target the canonical name for CNAME (type 5), else null
 * @param rdataHex RDATA as lowercase hex, for every type (CNAME's as on the wire, compression pointers included)
 */
public record DnsRecord(String name, int type, int rrClass, long ttl, IpAddress address, String target,
                        String rdataHex) {
    public static final int TYPE_A = 1;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_OPT = 41;

    /** Address text (dotted IPv4, RFC 5952 IPv6) for A/AAAA, the target for CNAME, else null. */
    public String value() {
        return address != null ? address.toString() : target;
    }
}
