package io.fastalloc.stats;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The counter records of an opened statistics file (Agrona's metadata and values sections, laid
 * out as {@link CountersReader} draws them), read with every field that sizes or places a read
 * checked first. Agrona's own {@code CountersReader.forEach} trusts the label length it finds
 * (a negative one throws, a huge one allocates that many bytes); this class replaces it for files
 * another process wrote.
 *
 * <p><b>Assumptions and Guarantees</b>
 * <ol>
 *   <li>Assumed, checked by {@link StatsFileReader#open}: both sections lie inside the mapping and
 *       hold the same number of counters ({@link #count()}).</li>
 *   <li>Records are walked in order up to the first unused one, as Agrona does; a record's state is
 *       one of {@link CountersReader#RECORD_UNUSED}, {@link CountersReader#RECORD_ALLOCATED} or
 *       {@link CountersReader#RECORD_RECLAIMED}, and an allocated record's label length is
 *       0 to {@link CountersReader#MAX_LABEL_LENGTH}. The first record that breaks one of these is
 *       reported as a {@link StatsFileReader.Problem} with exit code
 *       {@link StatsFileReader#NOT_A_COUNTERS_FILE} naming the field, its value and the record; no
 *       byte is read through it.</li>
 *   <li>Every read lies inside the metadata or values section; nothing is allocated with a size
 *       read from the file: labels are decoded from one scratch array of
 *       {@link CountersReader#MAX_LABEL_LENGTH} bytes.</li>
 * </ol>
 *
 * <p><b>Thread safety</b>: not thread-safe (one scratch array); read by one thread at a time, like
 * the {@link StatsFileReader} that owns it.
 *
 * <p><b>Memory effects</b>: a record's state is read with {@code getIntVolatile}; Agrona's
 * {@code CountersManager} stores it with release after the label, so a record seen allocated is
 * seen with its label, and a writer that follows the layout never trips a check.
 */
final class CounterRecords {
    /** Receives each allocated counter. */
    @FunctionalInterface
    interface Visitor {
        /**
         * Accepts one allocated counter.
         *
         * @param counterId the counter's id (its record's index)
         * @param typeId    the counter's type id, unchecked
         * @param value     the counter's value
         * @param label     the counter's label, at most {@link CountersReader#MAX_LABEL_LENGTH} bytes of UTF-8
         */
        void accept(int counterId, int typeId, long value, String label);
    }

    private final Path file;
    private final AtomicBuffer metadata;
    private final AtomicBuffer values;
    private final int count;
    private final byte[] label = new byte[CountersReader.MAX_LABEL_LENGTH];

    /**
     * Wraps the sections of an opened file.
     *
     * @param file     the file, for messages
     * @param metadata the metadata section
     * @param values   the values section, one counter for each metadata record
     * @throws IllegalArgumentException when the sections' counter counts differ (the caller checks)
     */
    CounterRecords(Path file, AtomicBuffer metadata, AtomicBuffer values) {
        int records = metadata.capacity() / CountersReader.METADATA_LENGTH;
        int counters = values.capacity() / CountersReader.COUNTER_LENGTH;
        if (records != counters) {
            throw new IllegalArgumentException("values: " + counters + " counters (expected: " + records
                    + ", one for each metadata record)");
        }
        this.file = file;
        this.metadata = metadata;
        this.values = values;
        this.count = records;
    }

    /** {@return how many counters the sections hold, allocated or not} */
    int count() {
        return count;
    }

    /**
     * Checks every record up to the first unused one, reading no label. Allocates nothing unless
     * it fails.
     *
     * @throws StatsFileReader.Problem naming the first damaged record
     */
    void check() throws StatsFileReader.Problem {
        walk(null);
    }

    /**
     * Gives each allocated counter, in id order, to {@code visitor}, checking each record before
     * reading it; counters before a damaged record have been given when the problem is thrown.
     *
     * @param visitor receives each allocated counter
     * @throws StatsFileReader.Problem naming the first damaged record
     */
    void forEach(Visitor visitor) throws StatsFileReader.Problem {
        walk(visitor);
    }

    private void walk(Visitor visitor) throws StatsFileReader.Problem {
        for (int id = 0; id < count; id++) {
            int offset = CountersReader.metaDataOffset(id);
            int state = metadata.getIntVolatile(offset);
            if (state == CountersReader.RECORD_UNUSED) {
                return;
            }
            if (state == CountersReader.RECORD_RECLAIMED) {
                continue;
            }
            if (state != CountersReader.RECORD_ALLOCATED) {
                throw damaged("record state " + state + " at record " + id + ", expected: "
                        + CountersReader.RECORD_RECLAIMED + " reclaimed, " + CountersReader.RECORD_UNUSED
                        + " unused or " + CountersReader.RECORD_ALLOCATED + " allocated");
            }
            int labelLength = metadata.getIntVolatile(offset + CountersReader.LABEL_OFFSET);
            if (labelLength < 0 || labelLength > CountersReader.MAX_LABEL_LENGTH) {
                throw damaged("label length " + labelLength + " at record " + id + ", expected: 0 to "
                        + CountersReader.MAX_LABEL_LENGTH);
            }
            if (visitor != null) {
                metadata.getBytes(offset + CountersReader.LABEL_OFFSET + Integer.BYTES, label, 0, labelLength);
                visitor.accept(id, metadata.getInt(offset + CountersReader.TYPE_ID_OFFSET),
                        values.getLongVolatile(CountersReader.counterOffset(id)),
                        new String(label, 0, labelLength, StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Reads one counter's value now (volatile).
     *
     * @param counterId a counter id below {@link #count()}
     * @return its value
     */
    long value(int counterId) {
        return values.getLongVolatile(CountersReader.counterOffset(counterId));
    }

    private StatsFileReader.Problem damaged(String what) {
        return new StatsFileReader.Problem(StatsFileReader.NOT_A_COUNTERS_FILE,
                file + " is not a fastalloc statistics file (" + what + ')');
    }
}
