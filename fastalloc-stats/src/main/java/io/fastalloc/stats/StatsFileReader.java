package io.fastalloc.stats;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a statistics file written by a mapped {@link StatsRegistry}, checking it first, and
 * reports what is wrong in one line when it cannot.
 *
 * <p><b>Assumptions and Guarantees</b>: nothing read from the file sizes a read, a mapping or an
 * allocation before it is checked. {@link #open} answers {@link #NOT_A_COUNTERS_FILE} unless
 * <ol>
 *   <li>the file is at least {@link StatsLayout#HEADER_LENGTH} and at most
 *       {@link Integer#MAX_VALUE} bytes long (so it can be mapped), and starts with the magic number;</li>
 *   <li>its metadata and values lengths are positive multiples of their record sizes, declare the
 *       same number of counters, and add up with the header to exactly the file's size;</li>
 *   <li>every counter record up to the first unused one passes {@link CounterRecords#check()}.</li>
 * </ol>
 * The records are checked again each time {@link #records} is read, since the writer keeps writing.
 *
 * <p><b>Thread safety</b>: an open reader may be read by one thread at a time.
 */
final class StatsFileReader implements AutoCloseable {
    /** Why a file could not be opened. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Problem(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    static final int NO_DIRECTORY = 2;
    static final int NO_FILE = 3;
    static final int NOT_A_COUNTERS_FILE = 4;
    static final int INCOMPATIBLE_VERSION = 5;
    static final int IO_ERROR = 6;

    final Path file;
    final long pid;
    final long startTimeMs;
    /** The counters, read with every record checked. */
    final CounterRecords records;
    private final MappedByteBuffer mapped;

    private StatsFileReader(Path file, MappedByteBuffer mapped, long pid, long startTimeMs, CounterRecords records) {
        this.file = file;
        this.mapped = mapped;
        this.pid = pid;
        this.startTimeMs = startTimeMs;
        this.records = records;
    }

    static StatsFileReader open(Path directory) throws Problem {
        Path name = directory.getFileName();
        if (name != null && StatsLayout.FILE_NAME.equals(name.toString()) && Files.isRegularFile(directory)) {
            // the file itself, as the reader's header prints it
            Path parent = directory.toAbsolutePath().getParent();
            directory = parent != null ? parent : directory;
        }
        if (!Files.isDirectory(directory)) {
            throw new Problem(NO_DIRECTORY, Files.exists(directory)
                    ? directory + " is not a directory (expected: the directory given to StatsRegistry.mapped, or the "
                    + StatsLayout.FILE_NAME + " in it)"
                    : "no such directory: " + directory);
        }
        Path file = directory.resolve(StatsLayout.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new Problem(NO_FILE, "no fastalloc statistics in " + directory + " (expected: "
                    + StatsLayout.FILE_NAME + ", written while a process with a mapped StatsRegistry runs)");
        }
        long length;
        try {
            length = Files.size(file);
        } catch (IOException e) {
            throw new Problem(IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
        if (length < StatsLayout.HEADER_LENGTH) {
            throw new Problem(NOT_A_COUNTERS_FILE, file + " is not a fastalloc statistics file (" + length
                    + " bytes, shorter than the header)");
        }
        if (length > Integer.MAX_VALUE) {
            throw new Problem(NOT_A_COUNTERS_FILE, file + " is not a fastalloc statistics file (" + length
                    + " bytes, expected: at most " + Integer.MAX_VALUE + ')');
        }
        MappedByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, length);
        } catch (IOException e) {
            throw new Problem(IO_ERROR, "cannot map " + file + ": " + e.getMessage());
        }
        UnsafeBuffer header = new UnsafeBuffer(mapped, 0, StatsLayout.HEADER_LENGTH);
        long magic = header.getLongVolatile(StatsLayout.MAGIC_OFFSET);
        if (magic != StatsLayout.MAGIC) {
            IoUtil.unmap(mapped);
            throw new Problem(NOT_A_COUNTERS_FILE, file + " is not a fastalloc statistics file (bad magic number 0x"
                    + Long.toHexString(magic) + ')');
        }
        int version = header.getInt(StatsLayout.VERSION_OFFSET);
        if (version != StatsLayout.LAYOUT_VERSION) {
            IoUtil.unmap(mapped);
            throw new Problem(INCOMPATIBLE_VERSION, file + " has layout version " + version
                    + ", this reader understands version " + StatsLayout.LAYOUT_VERSION
                    + " (use the fastalloc-stat of the fastalloc version that wrote it)");
        }
        int metadataLength = header.getInt(StatsLayout.METADATA_LENGTH_OFFSET);
        int valuesLength = header.getInt(StatsLayout.VALUES_LENGTH_OFFSET);
        String wrongLengths = checkLengths(metadataLength, valuesLength, length);
        if (wrongLengths != null) {
            IoUtil.unmap(mapped);
            throw new Problem(NOT_A_COUNTERS_FILE, file + " is not a fastalloc statistics file (" + wrongLengths + ')');
        }
        long pid = header.getLong(StatsLayout.PID_OFFSET);
        long start = header.getLong(StatsLayout.START_TIME_OFFSET);
        CounterRecords records = new CounterRecords(file,
                new UnsafeBuffer(mapped, StatsLayout.HEADER_LENGTH, metadataLength),
                new UnsafeBuffer(mapped, StatsLayout.HEADER_LENGTH + metadataLength, valuesLength));
        try {
            records.check();
        } catch (Problem p) {
            IoUtil.unmap(mapped);
            throw p;
        }
        return new StatsFileReader(file, mapped, pid, start, records);
    }

    /**
     * Checks the section lengths a header declares against each other and the file's size.
     *
     * @return what is wrong with them, or {@code null} when the sections fill the file exactly
     */
    private static String checkLengths(int metadataLength, int valuesLength, long fileLength) {
        long declared = (long) StatsLayout.HEADER_LENGTH + metadataLength + valuesLength;
        if (metadataLength <= 0 || valuesLength <= 0
                || metadataLength % CountersReader.METADATA_LENGTH != 0
                || valuesLength % CountersReader.COUNTER_LENGTH != 0
                || declared > fileLength) {
            return "lengths " + metadataLength + " + " + valuesLength + " do not fit its " + fileLength + " bytes";
        }
        int records = metadataLength / CountersReader.METADATA_LENGTH;
        int counters = valuesLength / CountersReader.COUNTER_LENGTH;
        if (records != counters) {
            return "metadata for " + records + " counters but values for " + counters
                    + ", lengths " + metadataLength + " + " + valuesLength;
        }
        if (declared != fileLength) {
            return "lengths " + metadataLength + " + " + valuesLength + " leave " + (fileLength - declared)
                    + " of its " + fileLength + " bytes unaccounted for";
        }
        return null;
    }

    /**
     * Reads the writer's process id from a file's header without Agrona (no Unsafe needed).
     *
     * @param file a statistics file
     * @return the writer's pid when the file is ours and that process is alive, else 0
     */
    static long livePid(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(StatsLayout.HEADER_LENGTH).order(ByteOrder.nativeOrder());
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // keep reading
            }
            if (header.position() < StatsLayout.HEADER_LENGTH
                    || header.getLong(StatsLayout.MAGIC_OFFSET) != StatsLayout.MAGIC) {
                return 0;
            }
            long pid = header.getLong(StatsLayout.PID_OFFSET);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? pid : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    boolean writerAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
    }
}
