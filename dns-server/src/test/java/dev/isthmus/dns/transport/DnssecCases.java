package dev.isthmus.dns.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The DNSSEC cases of RFC 4035 §3.1.3 and RFC 5155 §7.2 in the zones of {@link SignedZones}, and the two validators
 * that check them: {@code delv} (BIND's validator, the zone's KSK as trust anchor) and {@code drill -S} (ldns's
 * signature chaser, with the KSK), each run as a process against a server address, their verdict read from their
 * output. Shared by {@link DnssecValidationTest} (the kernel-socket transport, beside NSD) and the data plane's
 * DnsOverTapTest.
 */
public final class DnssecCases {
    /** What a validator should conclude. */
    public enum Verdict { POSITIVE, NXDOMAIN, NODATA }

    /** A query ({@code @} for the apex) and the rule that makes its answer provable. */
    public record Case(String name, String type, Verdict verdict, String why) {
        /** @return the query name in the zone */
        public String in(SignedZones.Zone z) {
            return name.equals("@") ? z.origin() : name + "." + z.origin();
        }
    }

    /** The cases, by the rule that makes the answer provable. */
    public static final List<Case> CASES = List.of(
        new Case("@", "SOA", Verdict.POSITIVE, "apex data"),
        new Case("@", "DNSKEY", Verdict.POSITIVE, "the keys themselves"),
        new Case("www", "TXT", Verdict.POSITIVE, "a name with several types"),
        new Case("alias", "A", Verdict.POSITIVE, "a CNAME followed in the zone"),
        new Case("nope", "A", Verdict.NXDOMAIN, "RFC 4035 §3.1.3.2, RFC 5155 §7.2.2"),
        new Case("a.b.nope", "A", Verdict.NXDOMAIN, "NXDOMAIN two labels below the closest encloser"),
        new Case("www", "MX", Verdict.NODATA, "RFC 4035 §3.1.3.1, RFC 5155 §7.2.3"),
        new Case("a.wild", "A", Verdict.POSITIVE, "wildcard answer, RFC 4035 §3.1.3.3, RFC 5155 §7.2.6"),
        new Case("a.b.wild", "TXT", Verdict.POSITIVE, "wildcard answer two labels below"),
        new Case("a.wild", "MX", Verdict.NODATA, "wildcard NODATA, RFC 4035 §3.1.3.4, RFC 5155 §7.2.5"),
        new Case("ent", "A", Verdict.NODATA, "empty non-terminal, RFC 5155 §7.2.3"),
        new Case("x.ent", "A", Verdict.NXDOMAIN, "below an empty non-terminal"),
        new Case("secure", "DS", Verdict.POSITIVE, "DS at a secure delegation, RFC 4035 §3.1.4.1"),
        new Case("insecure", "DS", Verdict.NODATA, "no DS at an insecure delegation, RFC 5155 §7.2.4"),
        new Case("d.optent", "DS", Verdict.NODATA, "no DS, opt-out: no NSEC3 of its own, RFC 5155 §7.2.4"),
        new Case("optent", "A", Verdict.NODATA, "empty non-terminal with no NSEC3 (opt-out)"),
        new Case("x.optent", "A", Verdict.NXDOMAIN, "below it: closest provable encloser, RFC 5155 §7.2.1"));

    private DnssecCases() {
    }

    /** @return the verdict line delv must print for the case */
    public static String expectedDelv(Case c) {
        return switch (c.verdict()) {
            case POSITIVE -> "; fully validated";
            case NXDOMAIN -> "; negative response, fully validated | ; " + "NXDOMAIN";
            case NODATA -> "; negative response, fully validated | ; " + "NXRRSET";
        };
    }

    /**
     * @return whether delv's verdict is the one the case asks for. A wildcard answer in an opt-out zone is the
     *     exception: BIND takes it as insecure, an unsigned delegation might hide at the next closer name that an
     *     Opt-Out NSEC3 covers (DnssecValidationTest checks NSD's identical answer gets the same verdict)
     */
    public static boolean delvAccepts(SignedZones.Zone z, Case c, String verdict) {
        if (isOptOutWildcardAnswer(z, c)) {
            return verdict.contains("; unsigned answer");
        }
        return switch (c.verdict()) {
            case POSITIVE -> verdict.contains("; fully validated");
            case NXDOMAIN -> verdict.contains("; negative response, fully validated") && verdict.contains("NXDOMAIN");
            case NODATA -> verdict.contains("; negative response, fully validated") && verdict.contains("NXRRSET");
        };
    }

    static boolean isOptOutWildcardAnswer(SignedZones.Zone z, Case c) {
        return z.optOut() && c.name().contains("wild") && c.verdict() == Verdict.POSITIVE;
    }

    /**
     * Answers drill 1.8.3 does not chase from NSD either, all NODATA at an empty non-terminal: in NSEC zones (it
     * wants the wildcard denied as for NXDOMAIN, though the covering NSEC's next name, below the query name, proves
     * the name exists), and in BIND's opt-out zone where the name has no NSEC3 (it wants a matching NSEC3 and does
     * not take the closest encloser proof of RFC 5155 §7.2.4). delv validates them.
     */
    public static boolean drillLimitation(SignedZones.Zone z, Case c) {
        boolean emptyNonTerminal = c.verdict() == Verdict.NODATA
            && (c.name().equals("ent") || c.name().equals("optent"));
        return emptyNonTerminal && (z.denial() == SignedZones.Denial.NSEC
            || z.optOut() && z.signer() == SignedZones.Signer.BIND && c.name().equals("optent"));
    }

    /** delv's comment lines (its verdict and the negative-cache line), joined with " | ". */
    public static String delv(SignedZones.Zone z, String server, int port, Case c, List<String> options)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("delv", "@" + server, "-p", Integer.toString(port), "-a",
            z.anchor().toString(), "+root=" + z.origin()));
        cmd.addAll(options);
        cmd.addAll(List.of(c.in(z), c.type()));
        StringBuilder verdict = new StringBuilder();
        for (String line : run(cmd).split("\n")) {
            if (line.startsWith(";")) {
                verdict.append(line.strip()).append(" | ");
            }
        }
        return verdict.toString();
    }

    /** drill's last line, ";; Chase successful", or the lines that say what failed. */
    public static String drill(SignedZones.Zone z, String server, int port, Case c, List<String> options)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("drill", "-S", "-k", z.kskFile().toString(), "-p",
            Integer.toString(port)));
        cmd.addAll(options);
        cmd.addAll(List.of("@" + server, c.in(z), c.type()));
        String[] lines = run(cmd).strip().split("\n");
        String last = lines[lines.length - 1];
        if (last.equals(";; Chase successful")) {
            return last;
        }
        StringBuilder why = new StringBuilder();
        for (String line : lines) {
            if (line.contains("rror") || line.contains("No trusted") || line.startsWith(";;")) {
                why.append(line.strip()).append(" | ");
            }
        }
        return why.toString();
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
        return out;
    }
}
