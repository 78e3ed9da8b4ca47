/**
 * ARP suppression (the switch answers ARP requests for IPv4 addresses whose MAC it knows instead of flooding them
 * to every port and VTEP): the per-domain IPv4-to-MAC table, learned by snooping ARP senders and given by
 * configuration.
 */
package dev.isthmus.vswitch.arp;
