package dev.isthmus.dataplane.ring.jcstress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs jcstress ({@code org.openjdk.jcstress.Main} with the given arguments, in a child JVM on this class path) and
 * exits non-zero unless jcstress exited 0 and its summary says no test failed and none erred. jcstress 0.16 exits 1
 * on a failed test (checked with a test whose FORBIDDEN outcome always happens); the summary check also catches a
 * run that ended without one, or a failure its exit code would not show. The output is passed through.
 */
public final class JcstressGate {
    private JcstressGate() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.openjdk.jcstress.Main"));
        command.addAll(List.of(args));
        Process jcstress = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean summary = false;
        List<String> problems = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(jcstress.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println(line);
                String t = line.strip();
                if (t.equals("RUN RESULTS:")) {
                    summary = true;
                } else if (summary && (t.startsWith("Failed tests:") || t.startsWith("Error tests:"))
                        && !t.endsWith("No matches.")) {
                    problems.add(t);
                }
            }
        }
        int code = jcstress.waitFor();
        if (code != 0 || !summary || !problems.isEmpty()) {
            System.err.println("jcstress: " + (code != 0 ? "exited " + code : !summary ? "no summary"
                    : "FORBIDDEN or unexpected outcomes, or errors: " + problems));
            System.exit(1);
        }
    }
}
