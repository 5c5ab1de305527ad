package org.iotpcap.capture;

/** The container formats iotpcap reads. */
public enum CaptureFormat {
    PCAP("pcap"),
    PCAP_NANO("pcap (nanosecond)"),
    PCAP_MODIFIED("pcap (modified, Kuznetzov)"),
    PCAPNG("pcapng");

    private final String label;

    CaptureFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
