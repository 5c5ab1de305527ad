package org.iotpcap.capture;

/**
 * An interface a capture describes: pcapng's Interface Description Block, or the single implicit
 * interface of a pcap file.
 *
 * @param id index within the whole capture (pcapng: across all sections, in order of appearance)
 * @param section the pcapng section it belongs to (0 for pcap)
 * @param linkType LINKTYPE_ value (e.g. 1 Ethernet, 113 Linux SLL, 276 Linux SLL2)
 * @param snapLength the snap length declared (0: none)
 * @param name if_name option, or null
 * @param tsResolution if_tsresol byte: bit 7 clear means 10^-n seconds, set means 2^-n
 * @param tsOffsetSeconds if_tsoffset seconds added to every timestamp
 */
public record CaptureInterface(int id, int section, int linkType, long snapLength, String name,
                               int tsResolution, long tsOffsetSeconds) {

    /** Timestamp ticks of this interface to nanoseconds since the epoch, exactly where the resolution allows. */
    public long toNanos(long ticks) {
        return Timestamps.ticksToNanos(ticks, tsResolution) + tsOffsetSeconds * 1_000_000_000L;
    }

    public String linkTypeName() {
        return LinkTypes.name(linkType);
    }
}
