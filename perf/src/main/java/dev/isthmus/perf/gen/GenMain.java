package dev.isthmus.perf.gen;

import dev.isthmus.perf.gen.profile.Profile;
import dev.isthmus.perf.gen.profile.ProfileException;
import dev.isthmus.perf.gen.profile.ProfileLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ./isthmus gen --profile P.yml [--duration S] [--warmup W] [--json] [--dump-pcap FILE N]}: runs a profile
 * for {@code S} seconds (default 10; streams with a count may end it earlier), one progress line a second on stderr,
 * the report on stdout. {@code --warmup} first runs it for {@code W} seconds on the same ports and reports nothing of
 * that run, so that the JIT has compiled the lcores' loops when the measured run starts (benchmarks). {@code --dump-pcap} writes the first N packets of each generated stream to a pcap instead
 * and sends nothing.
 */
public final class GenMain {

    private GenMain() {
    }

    public static void main(String[] args) throws Exception {
        Path profilePath = null;
        double seconds = 10;
        double warmup = 0;
        boolean json = false;
        Path dump = null;
        int dumpCount = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> profilePath = Path.of(value(args, ++i, "--profile"));
                case "--duration" -> seconds = Double.parseDouble(value(args, ++i, "--duration"));
                case "--warmup" -> warmup = Double.parseDouble(value(args, ++i, "--warmup"));
                case "--json" -> json = true;
                case "--dump-pcap" -> {
                    dump = Path.of(value(args, ++i, "--dump-pcap"));
                    dumpCount = Integer.parseInt(value(args, ++i, "--dump-pcap FILE"));
                }
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> fail("unknown argument '" + args[i] + "'");
            }
        }
        if (profilePath == null) {
            fail("--profile is required");
        }
        Profile profile;
        try {
            profile = ProfileLoader.load(profilePath);
        } catch (ProfileException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (dump != null) {
            List<byte[]> frames = Generator.dump(profile, dumpCount);
            Pcap.write(dump, frames);
            System.err.println("gen: wrote " + frames.size() + " frames to " + dump);
            return;
        }
        try (Generator gen = Generator.open(profile)) {
            if (warmup > 0) {
                gen.run(profile, Duration.ofMillis((long) (warmup * 1000)), Duration.ofSeconds(1), null);
                System.err.println("gen: warmed up for " + warmup + " s");
            }
            RunResult r = gen.run(profile, Duration.ofMillis((long) (seconds * 1000)), Duration.ofSeconds(1),
                    System.err::println);
            for (Profile.Port p : profile.ports()) {
                // The port's own counters say where frames went that the streams' counters miss (RX ring full).
                System.err.println("gen: port " + p.name() + " " + gen.port(p.name()).stats());
            }
            System.out.print(json ? Report.json(r) + System.lineSeparator() : Report.text(r));
        }
        System.exit(0);
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
        }
        return args[i];
    }

    static void fail(String message) {
        System.err.println("gen: " + message);
        usage();
        System.exit(2);
    }

    private static void usage() {
        System.err.println("usage: ./isthmus gen --profile P.yml [--duration SECONDS] [--warmup SECONDS] [--json] [--dump-pcap FILE N]");
    }
}
