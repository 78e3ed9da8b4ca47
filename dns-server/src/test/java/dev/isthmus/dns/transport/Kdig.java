package dev.isthmus.dns.transport;

import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real client kdig (knot-dnsutils) with {@code +json} (RFC 8427) and returns its parsed answers. */
final class Kdig {
    private Kdig() {
    }

    /** @param queryArgs kdig query arguments: names, types and per-query options */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ask(String server, int port, List<String> options, List<String> queryArgs)
        throws IOException, InterruptedException {
        Prerequisites.requireProgram("kdig", "knot-dnsutils");
        List<String> cmd = new ArrayList<>(List.of("kdig", "@" + server, "-p", Integer.toString(port), "+json",
            "+retry=2", "+time=2"));
        cmd.addAll(options);
        cmd.addAll(queryArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("kdig did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException("kdig exited with " + p.exitValue() + ": " + err);
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object o : Json.parseAll(new String(out, StandardCharsets.UTF_8))) {
            result.add((Map<String, Object>) o);
        }
        if (result.isEmpty()) {
            throw new IOException("kdig printed no answer: " + err);
        }
        return result;
    }
}
