package dev.isthmus.control.appliance;

import dev.isthmus.control.config.IpPrefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernel side of a TAP port: gives it its configured addresses and brings it up with iproute2, so the host
 * reaches the appliance through it ({@code dig @198.18.0.53 ...}). The interface itself belongs to the TAP PMD,
 * which deletes it when the port is closed.
 */
public final class KernelInterface {

    private KernelInterface() {
    }

    /**
     * Adds {@code addresses} to {@code iface} (IPv6 without duplicate address detection, so the address is usable at
     * once) and sets the link up.
     *
     * @throws IllegalStateException naming the command and iproute2's message when one fails
     */
    public static void configure(String iface, List<IpPrefix> addresses) {
        for (IpPrefix address : addresses) {
            List<String> command = new ArrayList<>(List.of("ip", "address", "replace", address.toString(), "dev", iface));
            if (address.isIpv6()) {
                command.add("nodad");
            }
            run(command);
        }
        run(List.of("ip", "link", "set", "dev", iface, "up"));
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": did not finish in 10 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "): " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
        }
    }
}
