/**
 * The vswitch's control-side API, what the REST layer (control-api) calls: {@link
 * dev.isthmus.vswitch.control.VswitchControl}. Every change is validated whole and applied atomically: a new
 * immutable configuration is built (or the change refused with a {@link
 * dev.isthmus.vswitch.config.VswitchConfigException} saying why, nothing changed), compiled into a snapshot, and
 * published to the data path with one volatile write. Reads return plain records.
 */
package dev.isthmus.vswitch.control;
