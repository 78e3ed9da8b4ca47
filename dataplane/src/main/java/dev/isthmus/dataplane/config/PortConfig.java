package dev.isthmus.dataplane.config;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One DPDK port and what it owns.
 *
 * @param name          the name configuration and counters use for it, e.g. {@code uplink}
 * @param device        the DPDK device: a PCI address ({@code 0000:03:00.0}) for a NIC, or a virtual device name
 *                      whose prefix picks the driver ({@code net_null0}, {@code net_ring0}, {@code net_pcap0},
 *                      {@code net_tap0}, {@code net_af_packet0}, {@code net_memif0})
 * @param devargs       the device's arguments, e.g. {@code iface=isthmus0} for net_tap or
 *                      {@code rx_pcap=q.pcap,infinite_rx=1} for net_pcap; empty for none
 * @param rxQueues      RX queues (each polled by exactly one lcore)
 * @param rxDescriptors RX ring size per queue, a power of two
 * @param txDescriptors TX ring size per queue, a power of two (every lcore gets its own TX queue on every port)
 * @param mtu           the MTU to set, or 0 to keep the device's
 * @param mac           the MAC the port answers with, or null for the device's own
 * @param ipv4          IPv4 addresses the port owns (answers ARP and ping for)
 * @param ipv6          IPv6 addresses the port owns (answers neighbour solicitations and ping6 for); its link-local
 *                      address is derived from the MAC and need not be listed
 * @param promiscuous   whether to receive frames for other MACs (a switch port does, a host port does not)
 */
public record PortConfig(String name, String device, String devargs, int rxQueues, int rxDescriptors,
        int txDescriptors, int mtu, MacAddress mac, List<Ipv4Address> ipv4, List<Ipv6Address> ipv6,
        boolean promiscuous) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,31}");
    private static final Pattern PCI = Pattern.compile("([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");
    private static final List<String> VIRTUAL_DRIVERS =
            List.of("net_null", "net_ring", "net_pcap", "net_tap", "net_af_packet", "net_memif", "net_af_xdp",
                    "net_virtio_user", "net_vhost", "net_bonding");

    public PortConfig {
        Objects.requireNonNull(name, "port: name is missing");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("port '" + name + "': name must start with a letter and use letters, "
                    + "digits, _ . - (at most 32)");
        }
        Objects.requireNonNull(device, "port " + name + ": device is missing");
        devargs = devargs == null ? "" : devargs;
        String deviceProblem = deviceProblem(device);
        if (deviceProblem != null) {
            throw new IllegalArgumentException("port " + name + ": " + deviceProblem);
        }
        if (devargs.contains(" ")) {
            throw new IllegalArgumentException("port " + name + ": devargs '" + devargs + "' must not contain spaces "
                    + "(key=value pairs separated by commas)");
        }
        if (rxQueues < 1 || rxQueues > 1024) {
            throw new IllegalArgumentException("port " + name + ": rxQueues must be 1..1024, got " + rxQueues);
        }
        requirePowerOfTwo(name, "rxDescriptors", rxDescriptors);
        requirePowerOfTwo(name, "txDescriptors", txDescriptors);
        if (mtu != 0 && (mtu < 68 || mtu > 9600)) {
            throw new IllegalArgumentException("port " + name + ": mtu must be 68..9600 (RFC 791 minimum 68), or 0 for "
                    + "the device's, got " + mtu);
        }
        if (mac != null && MacAddress.isMulticast(mac.value())) {
            throw new IllegalArgumentException("port " + name + ": mac " + mac + " is a group address");
        }
        ipv4 = List.copyOf(Objects.requireNonNull(ipv4, "port " + name + ": ipv4 is missing (use an empty list)"));
        ipv6 = List.copyOf(Objects.requireNonNull(ipv6, "port " + name + ": ipv6 is missing (use an empty list)"));
        if (new HashSet<>(ipv4).size() != ipv4.size() || new HashSet<>(ipv6).size() != ipv6.size()) {
            throw new IllegalArgumentException("port " + name + ": an address is listed twice");
        }
        for (Ipv4Address a : ipv4) {
            int first = a.value() >>> 24;
            if (first == 0 || first == 127 || first >= 224) {
                throw new IllegalArgumentException("port " + name + ": " + a + " is not a unicast host address");
            }
        }
        for (Ipv6Address a : ipv6) {
            if ((a.high() >>> 56) == 0xFF || (a.high() == 0 && (a.low() == 0 || a.low() == 1))) {
                throw new IllegalArgumentException("port " + name + ": " + a + " is not a unicast host address");
            }
        }
    }

    /**
     * The device rule, for a configuration reader to report at the line it read: a PCI address or a virtual device
     * of a driver this data plane supports.
     *
     * @return why {@code device} cannot be opened, or null when it can
     */
    public static String deviceProblem(String device) {
        if (PCI.matcher(device).matches() || VIRTUAL_DRIVERS.stream().anyMatch(device::startsWith)) {
            return null;
        }
        return "device '" + device + "' is neither a PCI address (0000:03:00.0) nor a virtual device of "
                + VIRTUAL_DRIVERS + " (e.g. net_tap0)";
    }

    private static void requirePowerOfTwo(String port, String field, int value) {
        if (value < 32 || value > 32768 || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException("port " + port + ": " + field + " must be a power of two 32..32768, got "
                    + value);
        }
    }

    /** A port with one queue, 1024 descriptors each way, the device's MTU and MAC, no addresses. */
    public static PortConfig of(String name, String device, String devargs) {
        return new PortConfig(name, device, devargs, 1, 1024, 1024, 0, null, List.of(), List.of(), false);
    }

    /** This port with the given addresses (and MAC, or null for the device's). */
    public PortConfig withAddresses(MacAddress mac, List<Ipv4Address> ipv4, List<Ipv6Address> ipv6) {
        return new PortConfig(name, device, devargs, rxQueues, rxDescriptors, txDescriptors, mtu, mac, ipv4, ipv6,
                promiscuous);
    }

    /** This port with {@code rxQueues} RX queues. */
    public PortConfig withRxQueues(int queues) {
        return new PortConfig(name, device, devargs, queues, rxDescriptors, txDescriptors, mtu, mac, ipv4, ipv6,
                promiscuous);
    }

    /** True for a PCI device (a NIC), false for a virtual device. */
    public boolean isPci() {
        return PCI.matcher(device).matches();
    }
}
