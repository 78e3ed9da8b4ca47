package dev.isthmus.perf.dns;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Two builds of the DNS engine in one JVM, their {@link EngineMixProbe} rounds alternated A B A B on the same thread:
 * on a shared machine whose speed moves from minute to minute, the two see the same minutes, which separate runs do
 * not. Each tree's classes are loaded apart (its {@code dns-server} and {@code native-bindings} classes, this probe's
 * classes, and the perf module's libraries but its modules' jars), so each engine is compiled on its own.
 * <pre>
 *   taskset -c 1 java $ISTHMUS_JVM_FLAGS -cp 'perf/target/classes:perf/target/lib/*' \
 *     dev.isthmus.perf.dns.EngineAbProbe TREE_A TREE_B QUERIES.pcap ZONE ORIGIN [ROUNDS [ANSWERS_PER_ROUND]]
 * </pre>
 * Prints ns per answer for each round of each tree, then each tree's minimum and median over the second half of the
 * rounds (after compilation). {@code -Donly=}, {@code -Dmatch=}, {@code -Dgrouped=}, {@code -Dpass=} and
 * {@code -Dslot=} as for {@link EngineMixProbe}.
 */
public final class EngineAbProbe {
    private EngineAbProbe() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 5) {
            System.err.println("usage: EngineAbProbe TREE_A TREE_B QUERIES.pcap ZONE ORIGIN [ROUNDS [ANSWERS]]");
            System.exit(2);
        }
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        long perRound = args.length > 6 ? Long.parseLong(args[6]) : 2_000_000;
        Path probe = Path.of(EngineAbProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String[] trees = {args[0], args[1]};
        MethodHandle[] round = new MethodHandle[2];
        Object[] mix = new Object[2];
        for (int t = 0; t < 2; t++) {
            ClassLoader loader = loader(Path.of(trees[t]), probe);
            Class<?> c = loader.loadClass(EngineMixProbe.class.getName());
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            mix[t] = lookup.findStatic(c, "prepare", MethodType.methodType(Object.class, String.class, String.class,
                String.class)).invoke(args[2], args[3], args[4]);
            round[t] = lookup.findStatic(c, "round", MethodType.methodType(long.class, Object.class, long.class));
        }
        double[][] ns = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int t = 0; t < 2; t++) {
                long cpu = (long) round[t].invoke(mix[t], perRound);
                ns[t][r] = (double) cpu / perRound;
            }
            System.out.printf("round %d: A %.1f  B %.1f ns/answer%n", r + 1, ns[0][r], ns[1][r]);
        }
        for (int t = 0; t < 2; t++) {
            double[] late = Arrays.copyOfRange(ns[t], rounds / 2, rounds);
            Arrays.sort(late);
            System.out.printf("%s %s: min %.1f median %.1f ns/answer (rounds %d-%d)%n", t == 0 ? "A" : "B", trees[t],
                late[0], late[late.length / 2], rounds / 2 + 1, rounds);
        }
    }

    private static ClassLoader loader(Path tree, Path probe) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(probe.toUri().toURL());
        urls.add(tree.resolve("dns-server/target/classes").toUri().toURL());
        urls.add(tree.resolve("native-bindings/target/classes").toUri().toURL());
        try (Stream<Path> jars = Files.list(probe.getParent().resolve("lib"))) {
            for (Path jar : jars.sorted().toList()) {
                String name = jar.getFileName().toString();
                if (!name.startsWith("dns-server-") && !name.startsWith("native-bindings-")) {
                    urls.add(jar.toUri().toURL());
                }
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
