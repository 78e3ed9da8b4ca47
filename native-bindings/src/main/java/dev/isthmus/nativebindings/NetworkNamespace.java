package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code inside a named network namespace ({@code ip netns add NAME}, i.e. {@code /run/netns/NAME}) without a
 * second process: a fresh platform thread enters it with {@code setns(2)} and runs the task there. A network
 * namespace is per thread on Linux, so only that thread moves; sockets it opens stay in the namespace for their
 * whole life, whichever thread uses them later, and threads it starts inherit the namespace.
 *
 * <p>The exception path uses it to bind the kernel-socket DNS transport to the appliance's addresses inside the
 * namespace whose kernel owns them. Needs {@code CAP_SYS_ADMIN} (root).
 */
public final class NetworkNamespace {

    /** {@code CLONE_NEWNET} from {@code <sched.h>}: setns checks the fd is a network namespace. */
    private static final int CLONE_NEWNET = 0x4000_0000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("open"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle SETNS = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("setns"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private NetworkNamespace() {
    }

    /**
     * Runs {@code task} on a new thread inside network namespace {@code name} and returns its result.
     *
     * @throws IllegalStateException when the namespace cannot be opened or entered (errno named), or the task threw
     *                               (its exception is the cause)
     */
    public static <T> T call(String name, Callable<T> task) {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a network namespace name: '" + name + "'");
        }
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("isthmus-netns-" + name).unstarted(() -> {
            try {
                enter("/run/netns/" + name);
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("in network namespace " + name + ": " + t.getMessage(), t);
        }
        return result.get();
    }

    private static void enter(String path) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("open(" + path + ") failed: errno " + errno(state));
            }
            try {
                int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
                if (rc != 0) {
                    throw new IllegalStateException("setns(" + path + ", CLONE_NEWNET) failed: errno " + errno(state));
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        }
    }

    private static int errno(MemorySegment state) {
        return state.get(JAVA_INT, Linker.Option.captureStateLayout().byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
    }
}
