package dev.isthmus.control.anycast;

import java.util.List;
import java.util.Optional;

/**
 * What the anycast service reads of the running data plane: whether it is healthy enough to be announced, and the
 * exception path's namespace the routing daemon runs in. The appliance's data plane implements it, so that this
 * package does not depend on the package that composes the appliance (which starts this service).
 */
public interface DataplaneHealth {

    /** @return why the data plane is not healthy (a port down, an lcore not polling); empty when it is */
    List<String> problems();

    /** @return the network namespace of the exception path's kernel while it exists */
    Optional<String> exceptionNamespace();
}
