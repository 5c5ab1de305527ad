package org.iotpcap.link;

/** What the link layer of one frame says: the network protocol and where its header starts. Reused per frame. */
public final class LinkFrame {
    /** EtherType of the network layer (0x0800 IPv4, 0x86DD IPv6), or -1 when the frame carries something else. */
    public int etherType;
    public int netOffset;
    public int netLength;
    /** 802.1Q/802.1ad tags crossed. */
    public int vlanTags;
}
