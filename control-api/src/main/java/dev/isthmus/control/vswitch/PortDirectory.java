package dev.isthmus.control.vswitch;

import dev.isthmus.control.error.RejectedException;
import java.util.List;

/**
 * The appliance's ports by name and by DPDK port id. The REST API and the journal speak of ports by the names of
 * the configuration file ({@code tap0}); the data plane and the network functions by port id.
 *
 * @param names the port names, index = DPDK port id
 */
public record PortDirectory(List<String> names) {

    public PortDirectory {
        names = List.copyOf(names);
    }

    /**
     * @return the id of the named port
     * @throws RejectedException when no port has that name
     */
    public int id(String name) {
        int id = names.indexOf(name);
        if (id < 0) {
            throw new RejectedException("no port named '" + name + "', nothing changed",
                    List.of("the ports are " + String.join(", ", names)));
        }
        return id;
    }

    /** @return the name of port {@code id}, or {@code port<id>} for a port the configuration does not name */
    public String name(int id) {
        return id >= 0 && id < names.size() ? names.get(id) : "port" + id;
    }
}
