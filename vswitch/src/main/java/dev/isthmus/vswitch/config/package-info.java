/**
 * The vswitch's configuration: immutable records validated when built ({@link
 * dev.isthmus.vswitch.config.VswitchConfig} checks the whole, each record its own fields), and the compiled
 * {@link dev.isthmus.vswitch.config.VswitchSnapshot} the data path reads — arrays indexed by port, VLAN, VNI and
 * VTEP id, built once per change and published with one volatile write.
 *
 * <p>Every invalid value raises {@link dev.isthmus.vswitch.config.VswitchConfigException} naming the field and the
 * rule, before anything changes.
 */
package dev.isthmus.vswitch.config;
