package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The C library's heap: {@code malloc_trim(3)} hands the memory that {@code free} kept in glibc's arenas back to the
 * kernel. What {@code jcmd PID System.trim_native_heap} does, without starting the platform MBean server to reach
 * it (~60 ms and a few MB of classes at the start of {@code ./isthmus dns}). Loads no DPDK library.
 */
public final class NativeHeap {

    /** {@code int malloc_trim(size_t pad)}; absent where the C library is not glibc. */
    private static final Optional<MethodHandle> MALLOC_TRIM = Linker.nativeLinker().defaultLookup()
        .find("malloc_trim")
        .map(address -> Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(JAVA_INT, JAVA_LONG)));

    private NativeHeap() {
    }

    /** @return true when memory was handed back, false when there was none to give or no glibc */
    public static boolean trim() {
        if (MALLOC_TRIM.isEmpty()) {
            return false;
        }
        try {
            return (int) MALLOC_TRIM.get().invokeExact(0L) != 0;
        } catch (Throwable t) {
            throw new IllegalStateException("malloc_trim failed", t);
        }
    }
}
