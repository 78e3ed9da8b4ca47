/**
 * The vswitch in the control plane: {@link dev.isthmus.control.vswitch.VswitchService} translates the API's bridge
 * domains (ports by name, addresses as text) to the vswitch helper's {@code VswitchControl}, journals every applied
 * change with the domain's full state and restores them at start; {@code VswitchController} is its REST face.
 */
package dev.isthmus.control.vswitch;
