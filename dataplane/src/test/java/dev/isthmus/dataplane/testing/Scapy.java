package dev.isthmus.dataplane.testing;

import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds packets with scapy (Debian's python3-scapy, through /usr/bin/python3) so tests compare our encoding and
 * checksums with an independent implementation. Each expression is evaluated after {@code from scapy.all import *};
 * {@code bytes(...)} of it is returned. One Python process serves a whole list (scapy takes a second to import).
 */
public final class Scapy {

    private static final String PYTHON = "/usr/bin/python3";

    private Scapy() {
    }

    /** The bytes of each scapy expression, e.g. {@code Ether()/IP(dst="198.18.0.1")/UDP()}. */
    public static List<byte[]> build(List<String> expressions) {
        StringBuilder script = new StringBuilder("import sys\nfrom scapy.all import *\n");
        for (String expression : expressions) {
            script.append("print(bytes(").append(expression).append(").hex())\n");
        }
        List<String> lines = run(script.toString());
        if (lines.size() != expressions.size()) {
            throw new IllegalStateException("scapy returned " + lines.size() + " packets for " + expressions.size());
        }
        List<byte[]> packets = new ArrayList<>();
        for (String line : lines) {
            packets.add(HexFormat.of().parseHex(line.trim()));
        }
        return packets;
    }

    /** The bytes of one scapy expression. */
    public static byte[] build(String expression) {
        return build(List.of(expression)).getFirst();
    }

    /**
     * Decodes each frame with scapy as {@code p = Ether(bytes)} and returns {@code str(expression)} evaluated on it,
     * e.g. {@code p[ARP].op} — so tests check our packets against an independent decoder.
     */
    public static List<String> decode(List<byte[]> frames, List<String> expressions) {
        StringBuilder script = new StringBuilder("from scapy.all import *\n")
                .append("def ok(p, layer):\n")
                .append("    f = 'chksum' if hasattr(p[layer], 'chksum') else 'cksum'\n")
                .append("    q = p.copy(); c = getattr(q[layer], f); delattr(q[layer], f)\n")
                .append("    return getattr(Ether(bytes(q))[layer], f) == c\n");
        for (int i = 0; i < frames.size(); i++) {
            script.append("p = Ether(bytes.fromhex('").append(HexFormat.of().formatHex(frames.get(i))).append("'))\n")
                    .append("print(repr(").append(expressions.get(i)).append(").replace('\\n', ' '))\n");
        }
        return run(script.toString());
    }

    /**
     * Runs a Python script with scapy available, with {@code arguments} in its {@code sys.argv[1:]}, and returns its
     * standard output lines.
     */
    public static List<String> run(String script, String... arguments) {
        Prerequisites.requireScapy();
        try {
            List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("scapy failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + PYTHON + " (install python3-scapy)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
