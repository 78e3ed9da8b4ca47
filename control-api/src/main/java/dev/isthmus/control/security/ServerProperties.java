package dev.isthmus.control.security;

import dev.isthmus.control.config.ApiConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The Micronaut server properties that make it listen as {@code api} says: address and port, and with
 * {@code api.tls} HTTPS only (no plain port beside it) from the PEM certificate and key, requiring a client
 * certificate signed by {@code api.tls.client-ca} when it is set.
 */
public final class ServerProperties {

    private ServerProperties() {
    }

    /** @return the properties for {@code api}, with the HTTP(S) port {@code port} (-1: any free one, for tests) */
    public static Map<String, Object> of(ApiConfig api, int port) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.host", api.host());
        properties.put("micronaut.server.port", port);
        api.tls().ifPresent(tls -> {
            properties.put("micronaut.server.ssl.enabled", true);
            properties.put("micronaut.server.ssl.port", port);
            properties.put("micronaut.server.ssl.build-self-signed", false);
            properties.put("micronaut.server.ssl.key-store.certificate-path", "file:" + tls.certificate());
            properties.put("micronaut.server.ssl.key-store.key-path", "file:" + tls.key());
            tls.clientCa().ifPresent(ca -> {
                properties.put("micronaut.server.ssl.trust-store.path", "file:" + ca);
                properties.put("micronaut.server.ssl.client-authentication", "NEED");
            });
        });
        return properties;
    }

    /** @return the properties for {@code api} on its configured port */
    public static Map<String, Object> of(ApiConfig api) {
        return of(api, api.port());
    }
}
