package io.fastalloc.stats;

import org.agrona.concurrent.status.CountersReader;

/**
 * The layout of the statistics file that {@link StatsRegistry} maps and {@link FastallocStat} reads.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  magic "FASTSTAT" (8 bytes)                   |  offset 0, written last
 *  +---------------------------------------------------------------+
 *  |                        layout version                         |  offset 8
 *  +---------------------------------------------------------------+
 *  |                       metadata length                         |  offset 12
 *  +---------------------------------------------------------------+
 *  |                        values length                          |  offset 16
 *  +---------------------------------------------------------------+
 *  |                    (reserved, 4 bytes)                        |  offset 20
 *  +---------------------------------------------------------------+
 *  |                  writer's process id (8 bytes)                |  offset 24
 *  +---------------------------------------------------------------+
 *  |                 start time, epoch ms (8 bytes)                |  offset 32
 *  +---------------------------------------------------------------+
 *  |                reserved up to HEADER_LENGTH                   |
 *  +---------------------------------------------------------------+
 *  |        Agrona counters metadata (metadata length bytes)       |  offset HEADER_LENGTH
 *  +---------------------------------------------------------------+
 *  |         Agrona counters values (values length bytes)          |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Labels are UTF-8. A change to this layout or to the meaning of a type id raises
 * {@link #LAYOUT_VERSION}.
 */
final class StatsLayout {
    /** The file's name inside the directory the user names. */
    static final String FILE_NAME = "fastalloc-stats.dat";
    /** "FASTSTAT" as a little-endian long. */
    static final long MAGIC = 0x5441545354534146L;
    static final int LAYOUT_VERSION = 1;
    static final int HEADER_LENGTH = 128;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int METADATA_LENGTH_OFFSET = 12;
    static final int VALUES_LENGTH_OFFSET = 16;
    static final int PID_OFFSET = 24;
    static final int START_TIME_OFFSET = 32;

    private StatsLayout() {
    }

    static int metadataLength(int counters) {
        return counters * CountersReader.METADATA_LENGTH;
    }

    static int valuesLength(int counters) {
        return counters * CountersReader.COUNTER_LENGTH;
    }
}
