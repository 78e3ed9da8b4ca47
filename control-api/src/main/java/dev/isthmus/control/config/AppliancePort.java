package dev.isthmus.control.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One DPDK port of the appliance.
 *
 * @param name the operator's name for the port (used by the REST API and the journal)
 * @param device a virtual device name ({@code net_tap0}, {@code net_null0}, ...) or a PCI address
 *               ({@code 0000:03:00.0}) of a NIC bound to vfio-pci
 * @param devargs the device arguments DPDK gets after the device name ({@code iface=isthmus0}), may be empty
 * @param promiscuous whether the port receives frames for every MAC (a vswitch access port does)
 * @param addresses the appliance's own addresses on this port: answered for ARP/ND/ICMP and, for DNS, on UDP/53
 * @param kernelAddresses for a {@code net_tap} port, addresses the appliance sets on the kernel-side interface
 *                        (named by the {@code iface=} device argument) when the port starts
 * @param mtu the IP MTU set on the device at start ({@code rte_eth_dev_set_mtu}), or 0 to keep the device's
 */
public record AppliancePort(String name, String device, String devargs, boolean promiscuous, List<IpPrefix> addresses,
                         List<IpPrefix> kernelAddresses, int mtu) {

    /** A PCI address in domain:bus:device.function form, as {@code dpdk-devbind.py --status} prints it. */
    private static final Pattern PCI_ADDRESS = Pattern.compile("\\p{XDigit}{4}:\\p{XDigit}{2}:\\p{XDigit}{2}\\.[0-7]");

    public AppliancePort {
        addresses = List.copyOf(addresses);
        kernelAddresses = List.copyOf(kernelAddresses);
    }

    /** A port that keeps its device's MTU. */
    public AppliancePort(String name, String device, String devargs, boolean promiscuous, List<IpPrefix> addresses,
                      List<IpPrefix> kernelAddresses) {
        this(name, device, devargs, promiscuous, addresses, kernelAddresses, 0);
    }

    /** @return true for a TAP port, whose kernel side is an interface of the host */
    public boolean isTap() {
        return device.startsWith("net_tap");
    }

    /** @return the kernel-side interface of a TAP port (its {@code iface=} device argument), if any */
    public Optional<String> kernelInterface() {
        return devarg("iface");
    }

    /** @return the value of one {@code key=value} device argument, if given */
    public Optional<String> devarg(String key) {
        for (String pair : devargs.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equals(key)) {
                return Optional.of(pair.substring(eq + 1).strip());
            }
        }
        return Optional.empty();
    }

    /** @return true when {@code device} is a PCI address rather than a virtual device */
    public boolean isPci() {
        return isPciAddress(device);
    }

    /** @return the device as EAL's {@code --vdev} or {@code -a} takes it: name, then comma and devargs if any */
    public String deviceSpec() {
        return devargs.isEmpty() ? device : device + "," + devargs;
    }

    static boolean isPciAddress(String device) {
        return PCI_ADDRESS.matcher(device).matches();
    }
}
