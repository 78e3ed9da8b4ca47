package dev.isthmus.vswitch.fdb;

/**
 * Where a MAC lives, packed into a positive {@code int} so the FDB stores and returns it without allocating:
 *
 * <pre>
 *  31  30 29 28 27                          12 11                     0
 * +---+-----+----+------------------------------+-----------------------+
 * | 0 |  0  |kind|        port id (16 bits)     |  VLAN id (12 bits)    |   kind 01: local access port
 * +---+-----+----+------------------------------+-----------------------+
 * | 0 |  0  |kind|                remote VTEP id (28 bits)              |   kind 10: remote VTEP
 * +---+-----+----+------------------------------------------------------+
 * </pre>
 *
 * <p>A local target is an access port and its 802.1Q VLAN (0 for untagged); a remote target is a VTEP's id in the
 * switch's VTEP table. Every valid target is non-zero, as the FDB requires.
 */
public final class FdbTarget {

    /** A lookup that found nothing: flood. */
    public static final int MISS = 0;

    private static final int KIND_SHIFT = 28;
    private static final int KIND_LOCAL = 1 << KIND_SHIFT;
    private static final int KIND_VTEP = 2 << KIND_SHIFT;
    private static final int KIND_MASK = 3 << KIND_SHIFT;
    /** Largest port id a target can carry. */
    public static final int MAX_PORT = 0xFFFF;
    /** Largest 802.1Q VLAN id (4095 is reserved, IEEE 802.1Q table 9-2). */
    public static final int MAX_VLAN = 4094;
    /** Largest VTEP id a target can carry. */
    public static final int MAX_VTEP = (1 << KIND_SHIFT) - 1;

    private FdbTarget() {
    }

    /**
     * @param portId the dataplane port id
     * @param vlan the 802.1Q VLAN id, 0 for untagged
     * @return the target of that access port
     */
    public static int local(int portId, int vlan) {
        if (portId < 0 || portId > MAX_PORT || vlan < 0 || vlan > MAX_VLAN) {
            throw new IllegalArgumentException("port " + portId + " vlan " + vlan + " out of range");
        }
        return KIND_LOCAL | portId << 12 | vlan;
    }

    /**
     * @param vtepId the VTEP's id in the switch's VTEP table
     * @return the target of that remote VTEP
     */
    public static int remote(int vtepId) {
        if (vtepId < 0 || vtepId > MAX_VTEP) {
            throw new IllegalArgumentException("VTEP id out of range: " + vtepId);
        }
        return KIND_VTEP | vtepId;
    }

    /** @param target a target @return whether it is a local access port */
    public static boolean isLocal(int target) {
        return (target & KIND_MASK) == KIND_LOCAL;
    }

    /** @param target a target @return whether it is a remote VTEP */
    public static boolean isRemote(int target) {
        return (target & KIND_MASK) == KIND_VTEP;
    }

    /** @param target a local target @return its port id */
    public static int portId(int target) {
        return (target >>> 12) & MAX_PORT;
    }

    /** @param target a local target @return its VLAN id, 0 for untagged */
    public static int vlan(int target) {
        return target & 0xFFF;
    }

    /** @param target a remote target @return its VTEP id */
    public static int vtepId(int target) {
        return target & MAX_VTEP;
    }
}
