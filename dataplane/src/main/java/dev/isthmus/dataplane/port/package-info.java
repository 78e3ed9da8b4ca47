/**
 * Ports as the data path sees them: {@link dev.isthmus.dataplane.port.PortTable}, an immutable table of each
 * port's number, DPDK id, MAC and owned addresses, laid out in primitive arrays for lookups without allocation;
 * and {@link dev.isthmus.dataplane.port.PortSetup}, which configures and starts a DPDK port from its
 * {@link dev.isthmus.dataplane.config.PortConfig}, failing fast with the call, port and error.
 */
package dev.isthmus.dataplane.port;
