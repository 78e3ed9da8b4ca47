package dev.isthmus.dns.transport;

import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Zones signed at test time by Debian's own signers, so the DNSSEC tests check answers against signatures and
 * denial chains nobody wrote by hand: BIND's {@code dnssec-keygen}/{@code dnssec-signzone} (bind9-utils) and ldns's
 * {@code ldns-keygen}/{@code ldns-signzone} (ldnsutils), each in three flavours — NSEC, NSEC3 with a salt and
 * iterations, and NSEC3 with opt-out — with an Ed25519 or an RSA/SHA-256 key pair (KSK and ZSK), so both signers and
 * both algorithms meet every flavour between them. Everything (keys, zone files, trust anchors) lives in the
 * directory given; the caller's {@code @TempDir} removes it.
 *
 * <p>Every zone holds the same names ({@link #UNSIGNED}): the apex with SOA, NS (in-zone, with addresses) and MX; a
 * name with several types; a wildcard; an empty non-terminal above signed data ({@code ent}); a secure delegation
 * with DS and two in-zone name servers (glue A and AAAA); an insecure delegation without DS, with in-zone glue; and
 * an insecure delegation below an empty non-terminal ({@code d.optent}), which opt-out leaves without NSEC3 in BIND's
 * zones (ldns gives every name an NSEC3 and sets the flag).
 */
public final class SignedZones {
    /** The salt and iterations of the NSEC3 zones (iterations kept low: validators treat high counts as insecure). */
    static final String SALT = "aabbccdd";
    static final int ITERATIONS = 5;

    static final String UNSIGNED = """
        $TTL 3600
        @           SOA   ns1 hostmaster 1 7200 3600 1209600 300
                    NS    ns1
                    NS    ns2
                    MX    10 mail
        ns1         A     198.18.0.53
        ns2         A     198.18.0.54
                    AAAA  2001:db8::54
        www         A     198.18.0.80
                    AAAA  2001:db8::80
                    TXT   "a name with several types"
        mail        A     198.18.0.25
        alias       CNAME www
        *.wild      A     198.18.0.99
                    TXT   "from the wildcard"
        a.ent       TXT   "below an empty non-terminal"
        secure      NS    ns1.secure
                    NS    ns2.secure
                    DS    12345 15 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        ns1.secure  A     198.18.0.100
                    AAAA  2001:db8::100
        ns2.secure  A     198.18.0.102
                    AAAA  2001:db8::102
        insecure    NS    ns.insecure
                    NS    ns.example.net.
        ns.insecure A     198.18.0.101
                    AAAA  2001:db8::101
        d.optent    NS    ns.example.net.
        """;

    public enum Signer { BIND, LDNS }

    public enum Denial { NSEC, NSEC3, NSEC3_OPT_OUT }

    /**
     * A signed zone.
     *
     * @param anchor  a {@code trust-anchors} clause with the zone's KSK, for {@code delv -a}
     * @param kskFile the KSK's DNSKEY record, for {@code drill -k}
     */
    public record Zone(String origin, Signer signer, Denial denial, String algorithm, Path file, Path anchor, Path kskFile) {
        public boolean optOut() {
            return denial == Denial.NSEC3_OPT_OUT;
        }

        @Override
        public String toString() {
            return origin + " (" + signer + ", " + denial + ", " + algorithm + ")";
        }
    }

    private SignedZones() {
    }

    /** Signs the six zones in {@code dir}; @return them by origin */
    public static Map<String, Zone> signAll(Path dir) throws IOException, InterruptedException {
        Prerequisites.requireProgram("dnssec-signzone", "bind9-utils");
        Prerequisites.requireProgram("ldns-signzone", "ldnsutils");
        Map<String, Zone> zones = new TreeMap<>();
        for (Zone z : List.of(
            sign(dir, "nsec-bind.test", Signer.BIND, Denial.NSEC, "ED25519"),
            sign(dir, "nsec3-bind.test", Signer.BIND, Denial.NSEC3, "RSASHA256"),
            sign(dir, "optout-bind.test", Signer.BIND, Denial.NSEC3_OPT_OUT, "ED25519"),
            sign(dir, "nsec-ldns.test", Signer.LDNS, Denial.NSEC, "RSASHA256"),
            sign(dir, "nsec3-ldns.test", Signer.LDNS, Denial.NSEC3, "ED25519"),
            sign(dir, "optout-ldns.test", Signer.LDNS, Denial.NSEC3_OPT_OUT, "RSASHA256"))) {
            zones.put(z.origin(), z);
        }
        return zones;
    }

    static Zone sign(Path parent, String origin, Signer signer, Denial denial, String algorithm)
        throws IOException, InterruptedException {
        Path dir = Files.createDirectories(parent.resolve(origin));
        Path unsigned = dir.resolve(origin + ".zone");
        Files.writeString(unsigned, "$ORIGIN " + origin + ".\n" + UNSIGNED);
        Path signed = dir.resolve(origin + ".signed");
        String ksk;
        String zsk;
        boolean rsa = algorithm.startsWith("RSA");
        if (signer == Signer.BIND) {
            List<String> keygen = new ArrayList<>(List.of("dnssec-keygen", "-q", "-K", dir.toString(), "-a",
                algorithm));
            if (rsa) {
                keygen.addAll(List.of("-b", "2048"));
            }
            List<String> kskCmd = new ArrayList<>(keygen);
            kskCmd.addAll(List.of("-f", "KSK", origin));
            keygen.add(origin);
            ksk = run(dir, kskCmd).strip();
            zsk = run(dir, keygen).strip();
            List<String> cmd = new ArrayList<>(List.of("dnssec-signzone", "-q", "-K", dir.toString(), "-d",
                dir.toString(), "-o", origin, "-S", "-e", "+2592000", "-f", signed.toString()));
            if (denial != Denial.NSEC) {
                cmd.addAll(List.of("-3", SALT, "-H", Integer.toString(ITERATIONS)));
                if (denial == Denial.NSEC3_OPT_OUT) {
                    cmd.add("-A"); // RFC 5155 §6: insecure delegations (and what is above only them) get no NSEC3
                }
            }
            cmd.add(unsigned.toString());
            run(dir, cmd);
        } else {
            List<String> keygen = new ArrayList<>(List.of("ldns-keygen", "-a", algorithm));
            if (rsa) {
                keygen.addAll(List.of("-b", "2048"));
            }
            List<String> kskCmd = new ArrayList<>(keygen);
            kskCmd.addAll(List.of("-k", origin));
            keygen.add(origin);
            ksk = run(dir, kskCmd).strip();
            zsk = run(dir, keygen).strip();
            List<String> cmd = new ArrayList<>(List.of("ldns-signzone", "-f", signed.toString()));
            if (denial != Denial.NSEC) {
                cmd.addAll(List.of("-n", "-s", SALT, "-t", Integer.toString(ITERATIONS)));
                if (denial == Denial.NSEC3_OPT_OUT) {
                    cmd.add("-p"); // the Opt-Out flag on every NSEC3
                }
            }
            cmd.addAll(List.of(unsigned.toString(), dir.resolve(ksk).toString(), dir.resolve(zsk).toString()));
            run(dir, cmd);
        }
        Path kskFile = dir.resolve(ksk + ".key");
        Path anchor = dir.resolve("anchor.conf");
        Files.writeString(anchor, trustAnchor(origin, Files.readString(kskFile)));
        return new Zone(origin, signer, denial, algorithm, signed, anchor, kskFile);
    }

    /** A {@code trust-anchors} clause (delv's anchor file) for the KSK in a {@code K*.key} file's DNSKEY line. */
    static String trustAnchor(String origin, String keyFile) {
        for (String line : keyFile.split("\n")) {
            int comment = line.indexOf(';');
            String[] f = (comment >= 0 ? line.substring(0, comment) : line).trim().split("\\s+");
            for (int i = 0; i + 3 < f.length; i++) {
                if (f[i].equals("DNSKEY") && f[i + 1].equals("257")) {
                    StringBuilder key = new StringBuilder();
                    for (int k = i + 4; k < f.length; k++) {
                        key.append(f[k]);
                    }
                    return "trust-anchors {\n  " + origin + ". static-key 257 " + f[i + 2] + " " + f[i + 3] + " \""
                        + key + "\";\n};\n";
                }
            }
        }
        throw new IllegalStateException("no KSK (DNSKEY 257) in " + keyFile);
    }

    /** Runs a command in {@code dir}; @return its standard output; fails with its output when it fails. */
    static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": " + out + err);
        }
        return out;
    }
}
