package dev.isthmus.dns.pipeline;

import dev.isthmus.dns.transport.Json;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs kdig (knot-dnsutils) with {@code +json} (RFC 8427), optionally inside a network namespace, and returns one
 * parsed message per query — answers are checked by parsing, never by grepping text.
 */
final class KdigClient {

    /** Fields that differ between two runs of the same query (message ID, clock, timing). */
    private static final Set<String> VOLATILE = Set.of("ID", "dateString", "dateSeconds", "queryTime");

    private KdigClient() {
    }

    /**
     * @param namespace run inside this network namespace, or null
     * @param options   kdig options before the queries ({@code +tcp}, {@code +bufsize=1232})
     * @param queries   names, types and per-query options
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ask(String namespace, String server, List<String> options, List<String> queries)
            throws IOException, InterruptedException {
        return ask(namespace, server, 53, options, queries);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ask(String namespace, String server, int port, List<String> options,
            List<String> queries) throws IOException, InterruptedException {
        Prerequisites.requireProgram("kdig", "knot-dnsutils");
        List<String> cmd = new ArrayList<>();
        if (namespace != null) {
            cmd.addAll(List.of("ip", "netns", "exec", namespace));
        }
        cmd.addAll(List.of("kdig", "@" + server, "-p", Integer.toString(port), "+json", "+retry=2", "+time=2"));
        cmd.addAll(options);
        cmd.addAll(queries);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("kdig did not finish: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException("kdig exited with " + p.exitValue() + " for " + cmd + ": " + err);
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object o : Json.parseAll(new String(out, StandardCharsets.UTF_8))) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (!m.isEmpty()) {
                result.add(m);
            }
        }
        if (result.isEmpty()) {
            throw new IOException("kdig printed no answer for " + cmd + ": " + err);
        }
        return result;
    }

    /** The message without the fields that change from run to run, to compare two servers' answers. */
    static Map<String, Object> comparable(Map<String, Object> message) {
        Map<String, Object> m = new LinkedHashMap<>(message);
        m.keySet().removeAll(VOLATILE);
        return m;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> section(Map<String, Object> m, String name) {
        return (List<Map<String, Object>>) m.getOrDefault(name, List.of());
    }
}
