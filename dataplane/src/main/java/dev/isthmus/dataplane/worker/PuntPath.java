package dev.isthmus.dataplane.worker;

import dev.isthmus.dataplane.ring.MbufRing;

/**
 * Where punted packets go: out of an exception port (a TAP or virtio-user port whose kernel side answers what the
 * data plane does not), into a ring read by a slow-path thread, or nowhere (they are dropped and counted).
 */
public sealed interface PuntPath {

    /** Punted packets are dropped as {@code NO_PUNT_PATH}. */
    record None() implements PuntPath {
    }

    /** Punted packets are transmitted on this port number. */
    record ToPort(int port) implements PuntPath {
    }

    /** Punted packets are enqueued on this ring; a full ring drops them as {@code PUNT_FULL}. */
    record ToRing(MbufRing ring) implements PuntPath {
    }

    static PuntPath none() {
        return new None();
    }
}
