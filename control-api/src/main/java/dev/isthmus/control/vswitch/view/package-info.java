/**
 * The vswitch as the configuration file, the REST API and the journal write it: bridge domains
 * ({@link dev.isthmus.control.vswitch.view.BridgeDomainView}), the underlay ({@link
 * dev.isthmus.control.vswitch.view.UnderlayView}), access ports by name and static FDB entries. Plain serialisable
 * records with their bean-validation limits; {@code config.VswitchViews} turns them into the vswitch's own records.
 * Kept apart from {@code control.vswitch} (the service) so the configuration can use them without depending on it.
 */
package dev.isthmus.control.vswitch.view;
