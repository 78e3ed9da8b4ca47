package dev.isthmus.dns.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.WireFormatException;

/** Hostile bytes against the wire decoder: the only failure it may report is {@link WireFormatException}. */
class MessageReaderFuzzTest {
    @FuzzTest(maxDuration = "", maxExecutions = 300_000)
    void messageReaderOnlyReportsWireFormatErrors(byte[] data) {
        try {
            MessageReader.read(data);
        } catch (WireFormatException expected) {
            // malformed input, reported as such
        }
    }
}
