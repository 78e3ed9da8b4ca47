/**
 * The dataplane's configuration: immutable, validated records (ports by DPDK device name and devargs, queues,
 * lcores and the queues they poll, the mbuf pool, MTU, the addresses and MAC each port owns) and the EAL arguments
 * derived from them ({@link dev.isthmus.dataplane.config.EalArguments}). A record that constructs is valid: every
 * check happens in the canonical constructors, and a failure names the port, lcore or field and what is wrong.
 */
package dev.isthmus.dataplane.config;
