package dev.isthmus.perf.gen.profile;

import java.util.List;

/**
 * A whole traffic profile: how DPDK is started, which CPUs the TX and RX lcores run on, and the ports with their
 * streams.
 *
 * @param source   the file it was read from (for messages)
 * @param eal      EAL options
 * @param txCpu    CPU of the TX lcore (-1: not pinned)
 * @param rxCpu    CPU of the RX lcore (-1: not pinned); the same CPU as {@code txCpu}: one lcore does both, polling
 *                 RX once a TX turn (for a generator confined to one core)
 * @param mbufs    mbufs in the generator's pool
 * @param ports    ports in file order; stream ids are unique across them
 */
public record Profile(String source, Eal eal, int txCpu, int rxCpu, int mbufs, List<Port> ports) {

    /** Whether one lcore sends and receives ({@code lcores.tx} and {@code lcores.rx} name the same CPU). */
    public boolean sharedLcore() {
        return txCpu >= 0 && txCpu == rxCpu;
    }

    public Profile {
        ports = List.copyOf(ports);
    }

    /** EAL options: memory without hugepages, the file prefix (to run beside another DPDK process), extra args. */
    public record Eal(boolean hugepages, int memoryMb, String filePrefix, List<String> extraArgs) {
        public Eal {
            extraArgs = List.copyOf(extraArgs);
        }
    }

    /** A port: a DPDK device (virtual device name or PCI address) with its devargs, and the streams sent on it. */
    public record Port(String name, String device, String args, List<Stream> streams) {
        public Port {
            streams = List.copyOf(streams);
        }
    }

    /** All streams of all ports, in file order (index = stream id). */
    public List<Stream> streams() {
        return ports.stream().flatMap(p -> p.streams().stream()).toList();
    }

    /** The same profile with every stream's rate multiplied by {@code factor} (the NDR search's offered load). */
    public Profile scaled(double factor) {
        return new Profile(source, eal, txCpu, rxCpu, mbufs, ports.stream().map(p -> new Port(p.name(), p.device(),
                p.args(), p.streams().stream().map(s -> s.withRate(s.rate().scaled(factor))).toList())).toList());
    }

    /** The same profile with every stream continuous (its count dropped): trials of the NDR search are timed. */
    public Profile continuous() {
        return new Profile(source, eal, txCpu, rxCpu, mbufs, ports.stream().map(p -> new Port(p.name(), p.device(),
                p.args(), p.streams().stream().map(Stream::continuous).toList())).toList());
    }
}
