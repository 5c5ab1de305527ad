package org.iotpcap.dissect.dns;

/**
 * Input limits of the DNS decoder.
 *
 * @param maxRecordsPerSection largest QDCOUNT, ANCOUNT, NSCOUNT or ARCOUNT accepted (default 1024; a UDP
 *     message of 65,535 octets holds at most 5,957 records of the minimum 11 octets)
 * @param maxPointerHops compression pointers followed while reading one name (default 32); forward pointers
 *     are allowed, so this and the loop check are what bound the walk
 * @param maxNameOctets longest expanded name in wire form, length octets and the root octet included
 *     (default 255, RFC 1035 section 3.1)
 */
public record DnsLimits(int maxRecordsPerSection, int maxPointerHops, int maxNameOctets) {
    public static final DnsLimits DEFAULTS = new DnsLimits(1024, 32, 255);

    public DnsLimits {
        if (maxRecordsPerSection < 0 || maxPointerHops < 0 || maxNameOctets < 1) {
            throw new IllegalArgumentException("DNS limits out of range: " + maxRecordsPerSection + ", "
                    + maxPointerHops + ", " + maxNameOctets);
        }
    }
}
