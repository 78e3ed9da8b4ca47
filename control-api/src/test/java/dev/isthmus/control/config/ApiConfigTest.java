package dev.isthmus.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code api} section: listen address, tokens file, TLS files, and the refusal to listen unguarded. */
class ApiConfigTest {

    private static final String PORTS = """
            ports:
              - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
            """;

    @TempDir
    Path dir;

    private ApplianceConfig parse(String api) throws ConfigException {
        return ConfigLoader.parse("test.yml", PORTS + api, dir);
    }

    private List<String> problems(String api) {
        return assertThrows(ConfigException.class, () -> parse(api)).problems();
    }

    private Path tokens(String mode) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "0123456789abcdef0 write ops\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void loopbackNeedsNoCredentials() throws Exception {
        assertFalse(parse("api: {listen: '127.0.0.1:9000'}\n").api().tokens().required());
        assertFalse(parse("api: {listen: '[::1]:9000'}\n").api().tokens().required());
    }

    @Test
    void beyondLoopbackWithoutTokensOrClientCertificatesIsRefusedWithTheReason() {
        assertEquals(List.of("test.yml:4: api.listen: '0.0.0.0:8080' is beyond loopback, but neither api.tokens-file"
                + " nor api.tls.client-ca is set: anyone who reaches it could change the appliance. Set one of them,"
                + " or listen on 127.0.0.1"), problems("api:\n  listen: 0.0.0.0:8080\n"));
        assertEquals(1, problems("api: {listen: '198.18.0.53:8080'}\n").size());
    }

    @Test
    void beyondLoopbackWithTokensIsAccepted() throws Exception {
        tokens("rw-------");
        ApiConfig api = parse("api: {listen: '0.0.0.0:8080', tokens-file: tokens}\n").api();
        assertEquals(Optional.of(dir.resolve("tokens")), api.tokensFile());
        assertTrue(api.tokens().required());
        assertEquals("http://0.0.0.0:8080", api.baseUrl());
    }

    @Test
    void anExposedTokensFileIsAConfigurationProblem() throws Exception {
        Path file = tokens("rw-r-----");
        assertEquals(List.of("test.yml:3: api.tokens-file: " + file + ": refused: its mode rw-r----- lets group or"
                + " others read or change the tokens; chmod 600 " + file), problems("api: {tokens-file: tokens}\n"));
    }

    @Test
    void tlsNamesItsFilesAndMakesTheUrlHttps() throws Exception {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "");
        }
        ApiConfig api = parse("""
                api:
                  listen: 0.0.0.0:8443
                  tls: {certificate: cert.pem, key: key.pem, client-ca: ca.pem}
                """).api();
        assertTrue(api.clientCertificatesRequired());
        assertEquals("https://0.0.0.0:8443", api.baseUrl());
        assertEquals(new ApiConfig.TlsConfig(dir.resolve("cert.pem"), dir.resolve("key.pem"),
                Optional.of(dir.resolve("ca.pem"))), api.tls().orElseThrow());
        assertEquals(List.of("test.yml:5: api.tls.certificate: is required",
                "test.yml:5: api.tls.key: '" + dir.resolve("missing.pem") + "' does not exist or is not readable"),
                problems("api:\n  tls:\n    key: missing.pem\n"));
    }
}
