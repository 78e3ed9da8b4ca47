package dev.isthmus.nativebindings;

import java.util.ArrayList;
import java.util.List;

/** Run in its own JVM by {@link EalTest}: initialises the EAL with an argument EAL does not know. */
public final class BadEalArgumentProbe {

    static final String PREFIX = "DpdkException: ";

    private BadEalArgumentProbe() {
    }

    public static void main(String[] args) {
        List<String> arguments = new ArrayList<>(Eal.TEST_ARGUMENTS);
        arguments.add("--no-such-eal-option");
        try {
            Eal.init(arguments);
            System.out.println("rte_eal_init accepted a bad argument");
            System.exit(3);
        } catch (DpdkException e) {
            System.out.println(PREFIX + e.getMessage());
            System.exit(0);
        }
    }
}
