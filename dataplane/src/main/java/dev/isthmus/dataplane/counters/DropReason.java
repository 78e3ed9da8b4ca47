package dev.isthmus.dataplane.counters;

/**
 * Why a packet was dropped. Implemented by enums: the dataplane's own ({@link DataplaneDrop}) and each network
 * function's (the DNS and VxLAN stages declare theirs), so every drop has a name and a counter of its own.
 * {@link DropReasons#code(Enum)} turns a constant into the small integer the data path counts with.
 */
public interface DropReason {

    /** The enum constant's name, e.g. {@code IPV4_BAD_CHECKSUM}. */
    String name();

    /** A short human explanation, shown beside the counter. */
    String description();
}
