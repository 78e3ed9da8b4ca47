package dev.isthmus.control.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates made at test time with the openssl CLI: a CA, a server certificate it signs for 127.0.0.1, a
 * client CA with one client certificate, and a stranger CA with a client certificate the API must refuse.
 */
final class TestCertificates {

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    static TestCertificates make(Path directory) throws IOException, InterruptedException {
        TestCertificates c = new TestCertificates(directory);
        c.ca("server-ca");
        c.leaf("server", "server-ca", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        c.ca("client-ca");
        c.leaf("ops", "client-ca", "/CN=ops/O=isthmus-test", "extendedKeyUsage=clientAuth");
        c.ca("stranger-ca");
        c.leaf("stranger", "stranger-ca", "/CN=stranger", "extendedKeyUsage=clientAuth");
        return c;
    }

    Path crt(String name) {
        return directory.resolve(name + ".crt");
    }

    Path key(String name) {
        return directory.resolve(name + ".key");
    }

    private void ca(String name) throws IOException, InterruptedException {
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key(name).toString(), "-out", crt(name).toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void leaf(String name, String ca, String subject, String extensions) throws IOException, InterruptedException {
        Path csr = directory.resolve(name + ".csr");
        Path ext = directory.resolve(name + ".ext");
        Files.writeString(ext, extensions + "\n");
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key(name).toString(), "-out", csr.toString(), "-subj", subject);
        run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", crt(ca).toString(), "-CAkey", key(ca).toString(),
                "-CAcreateserial", "-out", crt(name).toString(), "-days", "2", "-extfile", ext.toString());
    }

    /** Runs a command; @return its exit status and output */
    static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int status = p.waitFor();
        if (command[0].equals("openssl") && status != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return new Result(status, out);
    }

    record Result(int status, String output) {
    }
}
