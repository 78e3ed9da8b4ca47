package dev.isthmus.dns.dnstap;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A dnstap log file: a unidirectional Frame Streams stream (a START control frame naming the content type
 * {@code protobuf:dnstap.Dnstap}, one data frame per message, a STOP control frame at close), as {@code dnstap-read}
 * and {@code fstrm_capture} read and write it.
 *
 * <p>One writer thread (the query logger's); messages are buffered and flushed at close or by {@link #flush}.
 */
public final class DnstapFile extends DnstapWriter {

    private final DataOutputStream out;

    /**
     * Creates (or truncates) {@code file} and writes the START frame.
     *
     * @param identity the server's identity in each message (the NSID or host name), may be empty
     */
    public DnstapFile(Path file, String identity) throws IOException {
        super(identity);
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        FrameStreams.writeControl(out, FrameStreams.CONTROL_START);
    }

    @Override
    protected void writeFrame(byte[] frame) {
        try {
            out.writeInt(frame.length);
            out.write(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Writes the STOP frame and closes the file. */
    @Override
    public void close() throws IOException {
        FrameStreams.writeControl(out, FrameStreams.CONTROL_STOP);
        out.close();
    }
}
