/**
 * The running appliance: its configuration, journal, data plane and network functions built from one
 * configuration file, started together and stopped cleanly.
 */
package dev.isthmus.control.appliance;
