package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.nativebindings.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a {@link VswitchStage} over frames in real mbufs, as the dataplane's worker would, and records what it
 * decided: each packet's verdict and bytes, and every packet it sent new (flood copies, probes). Everything is freed
 * afterwards, so the pool's free count shows leaks.
 */
final class StageHarness {

    /** One packet of the burst after the stage: its verdict kind and target, and its bytes. */
    record Verdict(int kind, int target, byte[] bytes) {
    }

    /** A packet the stage sent through the emitter. */
    record Emitted(int port, byte[] bytes) {
    }

    /** What one burst produced. */
    record Result(List<Verdict> verdicts, List<Emitted> emitted) {
        Verdict get(int i) {
            return verdicts.get(i);
        }
    }

    private final Mempool pool;
    private final VswitchStage stage;
    /** Runs after each packet the stage sends new, on the stage's thread (to change state between two sends). */
    Runnable afterEmit = () -> { };

    StageHarness(Mempool pool, VswitchStage stage) {
        this.pool = pool;
        this.stage = stage;
    }

    Result run(int inputPort, List<byte[]> frames) {
        final List<Verdict> verdicts = new ArrayList<>();
        final List<Emitted> emitted = new ArrayList<>();
        for (int start = 0; start < frames.size(); start += MbufBurst.MAX) {
            runBurst(inputPort, frames.subList(start, Math.min(frames.size(), start + MbufBurst.MAX)), verdicts, emitted);
        }
        return new Result(verdicts, emitted);
    }

    private void runBurst(int inputPort, List<byte[]> frames, List<Verdict> verdicts, List<Emitted> emitted) {
        final MbufBurst burst = new MbufBurst();
        assertTrue(burst.allocate(pool, frames.size()));
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            burst.setDataLength(i, f.length);
            MemorySegment.copy(f, 0, NativeMemory.ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(i), f.length);
        }
        final MbufBurst sink = new MbufBurst();
        final PacketFrame frame = new PacketFrame(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, (mbuf, port) -> {
            sink.add(mbuf);
            emitted.add(new Emitted(port, bytes(sink, 0)));
            sink.freeAll();
            afterEmit.run();
        });
        frame.reset(burst, inputPort, 0, System.nanoTime());
        stage.process(frame);
        for (int i = 0; i < frames.size(); i++) {
            int kind = frame.kind(i);
            verdicts.add(new Verdict(kind, frame.target(i), kind == PacketFrame.CONSUMED ? null : bytes(burst, i)));
        }
        burst.freeAll();
    }

    private static byte[] bytes(MbufBurst burst, int i) {
        byte[] out = new byte[burst.dataLength(i)];
        MemorySegment.copy(NativeMemory.ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(i), out, 0, out.length);
        return out;
    }

    /**
     * Decodes frames with scapy: for each frame {@code p}, the Python expression's {@code repr}.
     */
    static List<String> decode(List<byte[]> frames, List<String> expressions) {
        StringBuilder script = new StringBuilder("from scapy.all import *\n")
                .append("def ok(p, layer):\n")
                .append("    q = p.copy(); c = q[layer].chksum; del q[layer].chksum\n")
                .append("    return Ether(bytes(q))[layer].chksum == c\n")
                .append("def okc(p, layer):\n")
                .append("    q = p.copy(); c = q[layer].cksum; del q[layer].cksum\n")
                .append("    return Ether(bytes(q))[layer].cksum == c\n");
        for (int i = 0; i < frames.size(); i++) {
            script.append("p = Ether(bytes.fromhex('").append(HexFormat.of().formatHex(frames.get(i))).append("'))\n")
                    .append("print(repr(").append(expressions.get(i)).append(").replace('\\n', ' '))\n");
        }
        return Scapy.run(script.toString());
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
