package io.geocrop.raster.cog;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only temporary file of compressed tiles, next to the output (same file system, so the finished file
 * can be assembled without crossing devices). Appends are serialized; positional reads may run concurrently.
 * {@link #close()} deletes it.
 */
public final class SpillFile implements Closeable {
    private final Path path;
    private final FileChannel channel;
    private long size;

    private SpillFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Creates a hidden temporary file in the directory of {@code out}. */
    public static SpillFile createNextTo(Path out, String suffix) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Path path;
        try {
            path = Files.createTempFile(dir, "." + out.getFileName() + ".", suffix);
        } catch (IOException e) {
            throw new IOException("cannot create a temporary file next to " + out + ": " + e, e);
        }
        try {
            return new SpillFile(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            Files.deleteIfExists(path);
            throw new IOException("cannot open temporary file " + path + ": " + e, e);
        }
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** Bytes written so far. */
    public synchronized long size() {
        return size;
    }

    /** Appends {@code data}; returns the offset it was written at. */
    public synchronized long append(byte[] data) throws IOException {
        long offset = size;
        ByteBuffer b = ByteBuffer.wrap(data);
        long pos = offset;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
        size += data.length;
        return offset;
    }

    /** Reads {@code length} bytes written at {@code offset}. */
    public byte[] read(long offset, int length) throws IOException {
        byte[] out = new byte[length];
        ByteBuffer b = ByteBuffer.wrap(out);
        long pos = offset;
        while (b.hasRemaining()) {
            int n = channel.read(b, pos);
            if (n < 0) {
                throw new EOFException("temporary file " + path + " ends at " + pos + ", expected "
                        + (offset + length) + " bytes");
            }
            pos += n;
        }
        return out;
    }

    /** Closes and deletes the file. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
