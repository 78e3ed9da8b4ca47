package dev.isthmus.vswitch.fdb;

/**
 * What one learning attempt did, as an {@code int} so the data path can count it without allocating.
 */
public final class LearnOutcome {

    /** The key was already bound to this value; at most its timestamp was refreshed. */
    public static final int HIT = 0;
    /** A new binding was created. */
    public static final int LEARNED = 1;
    /** An existing binding moved to a new value (a MAC move: the station now lives behind another port/VTEP). */
    public static final int MOVED = 2;
    /** The per-domain learning limit is reached: nothing learned (protection against MAC flooding). */
    public static final int LIMIT_REACHED = 3;
    /** The table has no free slot until maintenance compacts it: nothing learned. */
    public static final int TABLE_FULL = 4;
    /** A static entry binds the key to another value: static entries never move by learning. */
    public static final int STATIC_CONFLICT = 5;

    private LearnOutcome() {
    }
}
