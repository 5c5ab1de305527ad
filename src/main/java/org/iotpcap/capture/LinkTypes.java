package org.iotpcap.capture;

/** LINKTYPE_ values (tcpdump.org/linktypes.html) that iotpcap knows by name. */
public final class LinkTypes {
    private LinkTypes() {}

    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /** DLT_RAW as some BSDs number it in old files. */
    public static final int RAW_BSD_12 = 12;
    public static final int RAW_BSD_14 = 14;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "NULL (BSD loopback)";
            case ETHERNET -> "Ethernet";
            case RAW, RAW_BSD_12, RAW_BSD_14 -> "Raw IP";
            case LOOP -> "LOOP (OpenBSD loopback)";
            case LINUX_SLL -> "Linux cooked (SLL)";
            case IPV4 -> "Raw IPv4";
            case IPV6 -> "Raw IPv6";
            case LINUX_SLL2 -> "Linux cooked v2 (SLL2)";
            default -> "linktype " + linkType;
        };
    }
}
