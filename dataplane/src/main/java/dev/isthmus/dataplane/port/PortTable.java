package dev.isthmus.dataplane.port;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The dataplane's ports by number (their position in the configuration): DPDK id, name, MAC and the IPv4/IPv6
 * addresses each owns. Immutable; lookups scan small primitive arrays (a port owns a handful of addresses), so the
 * data path reads it without allocating.
 */
public final class PortTable {

    /**
     * One port's identity, addresses and the offloads it was configured with: RX ({@code RxOffloads.PORT_*}: whose
     * per-packet checksum verdicts in ol_flags a stage may use) and TX ({@code TxOffloads.PORT_*}: what a stage may
     * ask of it per packet).
     */
    public record Entry(String name, int dpdkId, MacAddress mac, List<Ipv4Address> ipv4, List<Ipv6Address> ipv6,
            long rxOffloads, long txOffloads) {
        public Entry {
            ipv4 = List.copyOf(ipv4);
            ipv6 = List.copyOf(ipv6);
        }

        /** A port configured with these TX offloads and no RX offloads. */
        public Entry(String name, int dpdkId, MacAddress mac, List<Ipv4Address> ipv4, List<Ipv6Address> ipv6,
                long txOffloads) {
            this(name, dpdkId, mac, ipv4, ipv6, 0, txOffloads);
        }

        /** A port configured with no offloads. */
        public Entry(String name, int dpdkId, MacAddress mac, List<Ipv4Address> ipv4, List<Ipv6Address> ipv6) {
            this(name, dpdkId, mac, ipv4, ipv6, 0, 0);
        }

        /** Whether the port was configured with every RX offload of {@code offloads}. */
        public boolean hasRxOffloads(long offloads) {
            return (rxOffloads & offloads) == offloads;
        }

        /** Whether the port was configured with every TX offload of {@code offloads}. */
        public boolean hasTxOffloads(long offloads) {
            return (txOffloads & offloads) == offloads;
        }
    }

    private final List<Entry> entries;
    private final long[] macs;
    private final int[][] ipv4;
    private final long[][] ipv6High;
    private final long[][] ipv6Low;
    private final int[] portOfDpdkId;

    /** The table; each port's IPv6 list gets its link-local address (from the MAC, RFC 4291 §2.5.1) appended. */
    public PortTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        int n = entries.size();
        macs = new long[n];
        ipv4 = new int[n][];
        ipv6High = new long[n][];
        ipv6Low = new long[n][];
        int maxId = 0;
        for (Entry e : entries) {
            maxId = Math.max(maxId, e.dpdkId());
        }
        portOfDpdkId = new int[maxId + 1];
        java.util.Arrays.fill(portOfDpdkId, -1);
        for (int p = 0; p < n; p++) {
            Entry e = entries.get(p);
            macs[p] = e.mac().value();
            ipv4[p] = e.ipv4().stream().mapToInt(Ipv4Address::value).toArray();
            List<Ipv6Address> v6 = new ArrayList<>(e.ipv6());
            Ipv6Address linkLocal = Ipv6Address.linkLocalFor(e.mac());
            if (!v6.contains(linkLocal)) {
                v6.add(linkLocal);
            }
            ipv6High[p] = v6.stream().mapToLong(Ipv6Address::high).toArray();
            ipv6Low[p] = v6.stream().mapToLong(Ipv6Address::low).toArray();
            portOfDpdkId[e.dpdkId()] = p;
        }
    }

    public int size() {
        return entries.size();
    }

    public Entry entry(int port) {
        return entries.get(port);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The port's MAC as a 48-bit value. */
    public long mac(int port) {
        return macs[port];
    }

    public int dpdkId(int port) {
        return entries.get(port).dpdkId();
    }

    /** Port number of a DPDK port id, or -1. */
    public int portOfDpdkId(int dpdkId) {
        return dpdkId >= 0 && dpdkId < portOfDpdkId.length ? portOfDpdkId[dpdkId] : -1;
    }

    /** The DPDK-id-to-port-number table (a copy). */
    public int[] portOfDpdkIdTable() {
        return portOfDpdkId.clone();
    }

    /** True when the port owns this IPv4 address. */
    public boolean ownsIpv4(int port, int address) {
        for (int a : ipv4[port]) {
            if (a == address) {
                return true;
            }
        }
        return false;
    }

    /** True when the port owns this IPv6 address (its link-local one included). */
    public boolean ownsIpv6(int port, long high, long low) {
        long[] h = ipv6High[port];
        long[] l = ipv6Low[port];
        for (int k = 0; k < h.length; k++) {
            if (h[k] == high && l[k] == low) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the address is the solicited-node multicast address (ff02::1:ffXX:XXXX, RFC 4291 §2.7.1) of one of
     * the port's IPv6 addresses.
     */
    public boolean isSolicitedNodeOf(int port, long high, long low) {
        if (high != 0xFF02_0000_0000_0000L || (low & 0xFFFF_FFFF_FF00_0000L) != 0x0000_0001_FF00_0000L) {
            return false;
        }
        for (long l : ipv6Low[port]) {
            if ((l & 0xFF_FFFFL) == (low & 0xFF_FFFFL)) {
                return true;
            }
        }
        return false;
    }
}
