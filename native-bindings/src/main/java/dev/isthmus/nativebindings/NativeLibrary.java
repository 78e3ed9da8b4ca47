package dev.isthmus.nativebindings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads the C shim, {@code native/libisthmus_shim.so}, from the class path: straight from the file when the classes
 * come from a directory (builds and tests), from a temporary copy when they come from a jar (the kernel can only map
 * files). No {@code LD_LIBRARY_PATH} is involved.
 *
 * <p>The shim is linked against the DPDK libraries the generated bindings call, so loading it with
 * {@link System#load} from this class loader is also what lets {@code generated.Dpdk}'s
 * {@code SymbolLookup.loaderLookup()} find DPDK's functions: load the shim before touching the generated classes.
 */
final class NativeLibrary {

    static final String RESOURCE = "/native/libisthmus_shim.so";

    private static boolean loaded;

    private NativeLibrary() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        URL url = NativeLibrary.class.getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException("C shim " + RESOURCE + " is not on the class path: build native-bindings "
                    + "(./mvnw -pl native-bindings install), which compiles it against pkg-config libdpdk");
        }
        System.load(localFile(url).toAbsolutePath().toString());
        loaded = true;
    }

    private static Path localFile(URL url) {
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot read the shim's location " + url, e);
            }
        }
        try (InputStream in = url.openStream()) {
            Path copy = Files.createTempFile("libisthmus_shim", ".so");
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the C shim from " + url, e);
        }
    }
}
