package dev.isthmus.control.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the REST control plane listens and who may use it. Loopback by default; {@link ConfigLoader} refuses an
 * address beyond loopback unless tokens or client certificates guard it.
 *
 * @param host the listen address
 * @param port the TCP port
 * @param tokensFile {@code api.tokens-file}, when requests must carry a bearer token
 * @param tokens the tokens read from it ({@link ApiTokens#NONE} without a file)
 * @param tls the server certificate and key, and the CA of client certificates, for HTTPS
 */
public record ApiConfig(String host, int port, Optional<Path> tokensFile, ApiTokens tokens, Optional<TlsConfig> tls) {

    /** Plain HTTP without tokens (loopback). */
    public ApiConfig(String host, int port) {
        this(host, port, Optional.empty(), ApiTokens.NONE, Optional.empty());
    }

    /**
     * HTTPS from PEM files.
     *
     * @param certificate the server's certificate chain (PEM)
     * @param key its private key (PEM, PKCS#8 or PKCS#1)
     * @param clientCa when present, clients must present a certificate this CA (PEM) signed: mutual TLS
     */
    public record TlsConfig(Path certificate, Path key, Optional<Path> clientCa) {
    }

    /** @return whether clients must present a certificate (mutual TLS) */
    public boolean clientCertificatesRequired() {
        return tls.flatMap(TlsConfig::clientCa).isPresent();
    }

    /** @return whether {@code host} is a loopback address (127.0.0.0/8, ::1) */
    public boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** @return {@code http://host:port} or {@code https://...}, with IPv6 hosts bracketed */
    public String baseUrl() {
        return (tls.isPresent() ? "https" : "http") + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
