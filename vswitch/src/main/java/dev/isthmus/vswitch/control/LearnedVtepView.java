package dev.isthmus.vswitch.control;

import dev.isthmus.vswitch.config.VtepAddress;

/**
 * A VTEP a bridge domain learned from its traffic, for people and the REST layer.
 *
 * @param address its underlay address
 * @param idleSeconds seconds since an FDB entry last pointed at it (aging removes it at the domain's aging time)
 */
public record LearnedVtepView(VtepAddress address, int idleSeconds) {
}
