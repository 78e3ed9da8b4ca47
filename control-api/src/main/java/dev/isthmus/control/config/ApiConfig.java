package dev.isthmus.control.config;

/**
 * Where the REST control plane listens. Loopback by default: the API has no authentication, so exposing it is a
 * deliberate act of the operator.
 *
 * @param host the listen address
 * @param port the TCP port
 */
public record ApiConfig(String host, int port) {

    /** @return {@code http://host:port}, with IPv6 hosts bracketed */
    public String baseUrl() {
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
