package org.iotpcap.link;

import org.iotpcap.bytes.Bytes;
import org.iotpcap.capture.LinkTypes;

/**
 * Finds the network layer inside a frame for the link types iotpcap reads: Ethernet (with 802.1Q/802.1ad
 * tags, also stacked), Linux cooked SLL and SLL2, BSD NULL and LOOP, and raw IP (101, 12, 14, 228, 229).
 */
public final class LinkDecoder {
    private LinkDecoder() {}

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;
    public static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int MAX_VLAN_TAGS = 8;

    /** The result of {@link #decode}. */
    public enum Status {
        /** {@link LinkFrame} holds the network layer (IP or another EtherType). */
        OK,
        /** Fewer bytes than the link header needs. */
        TOO_SHORT,
        /** A link type iotpcap does not read. */
        UNKNOWN_LINK_TYPE,
        /** More stacked VLAN tags than any real network uses. */
        TOO_MANY_VLAN_TAGS
    }

    public static Status decode(int linkType, byte[] b, int off, int len, LinkFrame out) {
        out.vlanTags = 0;
        out.etherType = -1;
        switch (linkType) {
            case LinkTypes.ETHERNET -> {
                if (len < 14) {
                    return Status.TOO_SHORT;
                }
                return ethertype(b, off + 12, off + len, out);
            }
            case LinkTypes.LINUX_SLL -> {
                // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
                if (len < 16) {
                    return Status.TOO_SHORT;
                }
                int arphrd = Bytes.u16be(b, off + 2);
                return sllProtocol(Bytes.u16be(b, off + 14), arphrd, b, off + 16, off + len, out);
            }
            case LinkTypes.LINUX_SLL2 -> {
                // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) address length(1) address(8)
                if (len < 20) {
                    return Status.TOO_SHORT;
                }
                return sllProtocol(Bytes.u16be(b, off), Bytes.u16be(b, off + 8), b, off + 20, off + len, out);
            }
            case LinkTypes.NULL, LinkTypes.LOOP -> {
                if (len < 4) {
                    return Status.TOO_SHORT;
                }
                // NULL: address family in the capturing host's byte order; LOOP: network order.
                long family = Bytes.u32be(b, off);
                if (linkType == LinkTypes.NULL && (family & 0xffff) == 0) {
                    family = Bytes.u32le(b, off);
                }
                out.etherType = switch ((int) family) {
                    case 2 -> ETHERTYPE_IPV4;
                    case 10, 24, 28, 30 -> ETHERTYPE_IPV6; // Linux, NetBSD/OpenBSD, FreeBSD, Darwin
                    default -> -1;
                };
                return net(off + 4, off + len, out);
            }
            case LinkTypes.RAW, LinkTypes.RAW_BSD_12, LinkTypes.RAW_BSD_14 -> {
                if (len < 1) {
                    return Status.TOO_SHORT;
                }
                int version = (b[off] & 0xf0) >>> 4;
                out.etherType = version == 4 ? ETHERTYPE_IPV4 : version == 6 ? ETHERTYPE_IPV6 : -1;
                return net(off, off + len, out);
            }
            case LinkTypes.IPV4 -> {
                out.etherType = ETHERTYPE_IPV4;
                return net(off, off + len, out);
            }
            case LinkTypes.IPV6 -> {
                out.etherType = ETHERTYPE_IPV6;
                return net(off, off + len, out);
            }
            default -> {
                return Status.UNKNOWN_LINK_TYPE;
            }
        }
    }

    /** SLL/SLL2 protocol field: an EtherType, except for the ARPHRD types that carry no Ethernet framing. */
    private static Status sllProtocol(int protocol, int arphrd, byte[] b, int p, int end, LinkFrame out) {
        // ARPHRD_NETLINK (824) and others carry non-IP payloads; protocol values below 0x0600 are not EtherTypes.
        if (arphrd == 824 || protocol < 0x0600) {
            out.etherType = -1;
            return net(p, end, out);
        }
        if (protocol == ETHERTYPE_VLAN || protocol == ETHERTYPE_QINQ || protocol == ETHERTYPE_QINQ_OLD) {
            return ethertype(b, p - 2, end, out);
        }
        out.etherType = protocol;
        return net(p, end, out);
    }

    /** Reads the EtherType at {@code p}, crossing 802.1Q/802.1ad tags. */
    private static Status ethertype(byte[] b, int p, int end, LinkFrame out) {
        int type = Bytes.u16be(b, p);
        p += 2;
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
            if (++out.vlanTags > MAX_VLAN_TAGS) {
                return Status.TOO_MANY_VLAN_TAGS;
            }
            if (end - p < 4) {
                return Status.TOO_SHORT;
            }
            type = Bytes.u16be(b, p + 2);
            p += 4;
        }
        out.etherType = type < 0x0600 ? -1 : type; // below 0x0600 it is an 802.3 length (LLC follows)
        return net(p, end, out);
    }

    private static Status net(int p, int end, LinkFrame out) {
        out.netOffset = p;
        out.netLength = end - p;
        return Status.OK;
    }
}
