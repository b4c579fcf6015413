package io.geocrop.raster.io;

import io.geocrop.raster.ByteRange;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A local file read with positional reads on one {@link FileChannel}, which many threads may share without
 * locking. The file is opened on the first read (so constructing one never fails); use {@link #open(Path)} to
 * fail early on a missing file.
 */
public final class FileByteSource implements InstrumentedByteSource {
    private final Path path;
    private final RequestStats stats = new RequestStats();
    private final Object openLock = new Object();
    private volatile FileChannel channel;
    private volatile boolean closed;

    /** A source for {@code path}; nothing is opened yet. */
    public FileByteSource(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** A source for {@code path}, opened now: a missing or unreadable file fails here, naming the path. */
    public static FileByteSource open(Path path) throws IOException {
        FileByteSource source = new FileByteSource(path);
        source.channel();
        return source;
    }

    @Override
    public long length() throws IOException {
        try {
            return channel().size();
        } catch (ClosedChannelException e) {
            throw closedError(e);
        }
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(describe() + ": negative read " + offset + "+" + length);
        }
        FileChannel ch = channel();
        long size;
        try {
            size = ch.size();
        } catch (ClosedChannelException e) {
            throw closedError(e);
        }
        if (offset > size || offset == size && length > 0) {
            throw new EOFException(describe() + ": read at byte " + offset + " is past the end (" + size + " bytes)");
        }
        // Sized by what is there, not by what was asked: a hostile length never allocates more than the file.
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, size - offset));
        stats.recordRequest();
        try {
            while (buffer.hasRemaining()) {
                int n = ch.read(buffer, offset + buffer.position());
                if (n < 0) {
                    break; // the file shrank since size(): return what there is
                }
            }
        } catch (ClosedChannelException e) {
            throw closedError(e);
        }
        stats.recordBytes(buffer.position());
        return buffer.position() == buffer.capacity() ? buffer.array() : Arrays.copyOf(buffer.array(), buffer.position());
    }

    @Override
    public List<byte[]> read(List<ByteRange> ranges) throws IOException {
        // Positional reads of a local file cost no round trip: merging would only copy more bytes.
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (ByteRange r : ranges) {
            out.add(read(r.offset(), r.length()));
        }
        return out;
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public RequestStats stats() {
        return stats;
    }

    /** The file this source reads. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        synchronized (openLock) {
            closed = true;
            if (channel != null) {
                channel.close();
            }
        }
    }

    private FileChannel channel() throws IOException {
        FileChannel ch = channel;
        if (closed) {
            throw closedError(null);
        }
        if (ch != null) {
            return ch;
        }
        synchronized (openLock) {
            if (closed) {
                throw closedError(null);
            }
            if (channel == null) {
                // NoSuchFileException / AccessDeniedException already name the path; callers may test for them.
                channel = FileChannel.open(path, StandardOpenOption.READ);
            }
            return channel;
        }
    }

    private IOException closedError(Throwable cause) {
        return new IOException(describe() + ": the byte source is closed", cause);
    }

    @Override
    public String toString() {
        return "FileByteSource[" + path + "]";
    }
}
