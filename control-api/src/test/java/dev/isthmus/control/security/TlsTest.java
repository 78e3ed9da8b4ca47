package dev.isthmus.control.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.IsthmusMainAccess;
import dev.isthmus.control.appliance.Appliance;
import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.control.testing.TestConfig;
import io.micronaut.context.ApplicationContext;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API over HTTPS from PEM files, checked with curl as an operator would: {@code curl --cacert} works (with a
 * token), plain HTTP and an unknown CA do not; with {@code client-ca}, no client certificate or one another CA
 * signed is refused in the handshake, the right one is let in and named in the journal. Certificates are made at
 * test time with openssl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {

    private static final String TOKEN = "tls-write-0123456789abcdef";

    private TestConfig files;
    private TestCertificates certificates;

    @BeforeAll
    void certificates() throws Exception {
        files = TestConfig.write("");
        certificates = TestCertificates.make(files.directory());
        Path tokens = files.directory().resolve("tokens");
        Files.writeString(tokens, TOKEN + " write deployer\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    void remove() {
        files.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the control plane (no data plane) on a free port with the {@code api} section given. */
    private ApplicationContext start(int port, String api) throws Exception {
        Path file = files.directory().resolve("isthmus-" + port + ".yml");
        Files.writeString(file, """
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                journal:
                  directory: journal-%d
                api:
                  listen: 127.0.0.1:%d
                %s""".formatted(port, port, api.indent(2)));
        ApplianceConfig config = ConfigLoader.load(file.toString());
        return IsthmusMainAccess.start(config, file.toString(), Map.of(Appliance.DATAPLANE_ENABLED, "false"));
    }

    private TestCertificates.Result curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-o", "/dev/null",
                "-w", "%{http_code}"));
        command.addAll(List.of(arguments));
        return TestCertificates.run(command.toArray(String[]::new));
    }

    @Test
    void httpsWithTheCaAndATokenWorksAndNothingElseDoes() throws Exception {
        int port = freePort();
        try (ApplicationContext context = start(port, """
                tokens-file: tokens
                tls: {certificate: server.crt, key: server.key}
                """)) {
            String url = "https://127.0.0.1:" + port;
            TestCertificates.Result ok = curl("--cacert", certificates.crt("server-ca").toString(),
                    "-H", "Authorization: Bearer " + TOKEN, url + "/journal");
            assertEquals(new TestCertificates.Result(0, "200"), ok);
            assertEquals("401", curl("--cacert", certificates.crt("server-ca").toString(), url + "/journal").output());
            assertEquals("503", curl("--cacert", certificates.crt("server-ca").toString(), url + "/health").output());
            // An untrusted server certificate: curl refuses it (60: peer certificate cannot be authenticated).
            assertEquals(60, curl("--cacert", certificates.crt("client-ca").toString(), url + "/health").status());
            // No plain HTTP beside HTTPS.
            TestCertificates.Result plain = curl("http://127.0.0.1:" + port + "/health");
            assertTrue(plain.status() != 0 || !plain.output().equals("503"), plain.toString());
        }
    }

    @Test
    void mutualTlsRefusesNoOrAStrangersCertificateAndNamesTheRightOne() throws Exception {
        int port = freePort();
        try (ApplicationContext context = start(port, """
                tls: {certificate: server.crt, key: server.key, client-ca: client-ca.crt}
                """)) {
            String url = "https://127.0.0.1:" + port;
            String ca = certificates.crt("server-ca").toString();
            TestCertificates.Result none = curl("--cacert", ca, url + "/journal");
            assertNotEquals("200", none.output(), "no client certificate: " + none);
            assertNotEquals(0, none.status(), "no client certificate: " + none);
            TestCertificates.Result stranger = curl("--cacert", ca, "--cert", certificates.crt("stranger").toString(),
                    "--key", certificates.key("stranger").toString(), url + "/journal");
            assertNotEquals("200", stranger.output(), "a certificate of another CA: " + stranger);
            assertNotEquals(0, stranger.status(), "a certificate of another CA: " + stranger);
            List<String> ops = List.of("--cacert", ca, "--cert", certificates.crt("ops").toString(),
                    "--key", certificates.key("ops").toString());
            List<String> get = new ArrayList<>(ops);
            get.add(url + "/journal");
            assertEquals(new TestCertificates.Result(0, "200"), curl(get.toArray(String[]::new)));
            List<String> create = new ArrayList<>(ops);
            create.addAll(List.of("-X", "POST", "-H", "Content-Type: application/json", "-d",
                    "{\"vni\":77,\"name\":\"mtls\"}", url + "/vswitch/bridge-domains"));
            assertEquals(new TestCertificates.Result(0, "201"), curl(create.toArray(String[]::new)));
            JournalEntry change = context.getBean(Journal.class)
                    .latest(5, e -> e.subject().equals("vswitch.bd/77")).getLast();
            assertTrue(change.actor().matches("rest 127\\.0\\.0\\.1 cert O=isthmus-test,CN=ops"), change.actor());
        }
    }
}
