package dev.isthmus.dataplane.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A packet copied into native memory, as it would sit in an mbuf, for flyweight tests. */
public final class NativeFrame implements AutoCloseable {

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment segment;
    private final int length;

    /** Copies {@code bytes} into fresh native memory with {@code slack} writable bytes after them. */
    public NativeFrame(byte[] bytes, int slack) {
        this.length = bytes.length;
        this.segment = arena.allocate(bytes.length + slack, 64);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
    }

    public NativeFrame(byte[] bytes) {
        this(bytes, 0);
    }

    public long address() {
        return segment.address();
    }

    public int length() {
        return length;
    }

    /** The first {@code n} bytes as they are now. */
    public byte[] bytes(int n) {
        return segment.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    public byte[] bytes() {
        return bytes(length);
    }

    @Override
    public void close() {
        arena.close();
    }
}
