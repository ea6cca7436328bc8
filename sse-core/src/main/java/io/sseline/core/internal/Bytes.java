package io.sseline.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte scanning for the parser's hot loop. */
public final class Bytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = ONES * '\n';
    private static final long CRS = ONES * '\r';

    private Bytes() {}

    /**
     * Returns the index of the first CR or LF in {@code b[from, to)}, or -1 if there is none. Reads
     * eight bytes at a time: event streams are mostly long runs of text between line ends.
     */
    public static int indexOfLineEnd(byte[] b, int from, int to) {
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long word = (long) LONGS.get(b, i);
            long found = zeroBytes(word ^ LFS) | zeroBytes(word ^ CRS);
            if (found != 0) {
                // Little-endian: the lowest flagged byte comes first, and the lowest flag is exact.
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** Returns the index of the first byte of {@code b[from, to)} above 0x7F, or -1 if all are ASCII. */
    public static int indexOfNonAscii(byte[] b, int from, int to) {
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long high = (long) LONGS.get(b, i) & HIGHS;
            if (high != 0) {
                return i + (Long.numberOfTrailingZeros(high) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] < 0) {
                return i;
            }
        }
        return -1;
    }

    /** Returns the index of {@code value} in {@code b[from, to)}, or -1. */
    public static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sets the high bit of each byte of {@code v} that is zero. Bytes above a zero byte may be flagged
     * too (borrow), but the lowest flag always marks a real zero.
     */
    private static long zeroBytes(long v) {
        return (v - ONES) & ~v & HIGHS;
    }
}
