package dev.isthmus.vswitch.counters;

/** What an access port or a remote VTEP counts. */
public enum TrafficCounter {
    RX_FRAMES("frames received"),
    RX_BYTES("bytes received (inner frames)"),
    TX_FRAMES("frames sent"),
    TX_BYTES("bytes sent (inner frames)"),
    DROPS("frames dropped");

    private final String description;

    TrafficCounter(String description) {
        this.description = description;
    }

    /** @return what the counter counts */
    public String description() {
        return description;
    }
}
