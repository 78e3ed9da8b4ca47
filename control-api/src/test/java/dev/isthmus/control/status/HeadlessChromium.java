package dev.isthmus.control.status;

import dev.isthmus.dataplane.testing.Shell;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * Debian's headless Chromium showing one page, driven over the DevTools protocol with the JDK's WebSocket client:
 * the page runs in real time (unlike {@code --dump-dom} with a virtual time budget), and a test reads what it shows
 * with {@code Runtime.evaluate} and photographs it with {@code Page.captureScreenshot}. Every wait is bounded.
 */
final class HeadlessChromium implements AutoCloseable {

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, String debuggerUrl) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(debuggerUrl), new Listener()).join();
    }

    /** Starts Chromium on {@code url} with a fresh profile, a window of {@code width} x {@code height}. */
    static HeadlessChromium open(String url, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("isthmus-chromium");
        Process process = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, url)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        for (int i = 0; i < 150 && !(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2); i++) {
            Thread.sleep(100);
        }
        if (!Files.exists(portFile)) {
            process.destroyForcibly();
            throw new IOException("chromium did not open its DevTools port: "
                    + Files.readString(profile.resolve("chromium.log")));
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().strip());
        String list = "";
        Matcher page = null;
        for (int i = 0; i < 50; i++) {
            list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            page = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"|"
                    + "\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/page/[^\"]+)\"").matcher(list);
            if (page.find()) {
                break;
            }
            page = null;
            Thread.sleep(100);
        }
        if (page == null) {
            process.destroyForcibly();
            throw new IOException("chromium has no page to drive: " + list);
        }
        return new HeadlessChromium(process, profile, page.group(1) != null ? page.group(1) : page.group(2));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(json(Map.of("id", id, "method", method, "params", params)), true).join();
        Map<String, Object> response = answer.get(30, TimeUnit.SECONDS);
        if (response.containsKey("error")) {
            throw new IOException(method + ": " + response.get("error"));
        }
        return (Map<String, Object>) response.get("result");
    }

    /** @return the value of a JavaScript expression in the page, as a string ("" for null) */
    @SuppressWarnings("unchecked")
    String evaluate(String expression) throws Exception {
        Map<String, Object> result = (Map<String, Object>) call("Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true)).get("result");
        Object value = result.get("value");
        return value == null ? "" : value.toString();
    }

    /** @return a PNG of the page as it is now */
    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode((String) call("Page.captureScreenshot", Map.of("format", "png")).get("data"));
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        Shell.stop(process);
        deleteProfile();
    }

    /**
     * Removes the profile directory. Chromium's helper processes (crashpad) may still be removing files of their own
     * in it after the browser has stopped, and {@code Files.walk} throws when a file it listed is gone by the time it
     * gets there: such a file is simply skipped, and the walk is tried again for what it could not remove.
     */
    private void deleteProfile() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 5 && Files.exists(profile); attempt++) {
            Files.walkFileTree(profile, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                    file.toFile().delete();
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE; // gone meanwhile
                }

                @Override
                public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    dir.toFile().delete();
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
            if (Files.exists(profile)) {
                Thread.sleep(100);
            }
        }
    }

    /** A JSON text of a map of strings, numbers, booleans and maps: enough for DevTools commands. */
    @SuppressWarnings("unchecked")
    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(out.length() > 1 ? "," : "").append(json(e.getKey().toString())).append(':').append(json(e.getValue()));
            }
            return out.append('}').toString();
        }
        if (value instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                out.append(c == '"' || c == '\\' ? "\\" + c : c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return out.append('"').toString();
        }
        return String.valueOf(value);
    }

    /** Collects each message's frames and hands an answer to the call waiting for its id. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                Map<String, Object> message = new Yaml().load(text.toString()); // JSON is YAML
                text.setLength(0);
                Object id = message.get("id");
                if (id instanceof Integer i && pending.containsKey(i)) {
                    pending.remove(i).complete(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

}
