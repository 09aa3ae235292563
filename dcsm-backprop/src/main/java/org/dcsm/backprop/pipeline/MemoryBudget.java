package org.dcsm.backprop.pipeline;

import java.util.Locale;

import org.bytedeco.javacpp.Pointer;

/**
 * How many bytes one batch item may take, fixed when the batch starts, so that an image whose estimated cost is
 * over it is refused before it is decoded ({@link #check}) and the batch goes on. Immutable.
 *
 * <p>{@link #ofProcess()} derives it from this process's limits: the heap ({@code Runtime.maxMemory}, -Xmx)
 * plus what JavaCPP lets ND4J allocate off the heap ({@code Pointer.maxBytes}, {@code
 * -Dorg.bytedeco.javacpp.maxbytes}), capped by {@code Pointer.maxPhysicalBytes} ({@code
 * -Dorg.bytedeco.javacpp.maxphysicalbytes}, the whole process) when set and by the machine's physical memory,
 * less what is in use when it is taken (the loaded model, the heap in use, ND4J's tracked buffers).
 */
public final class MemoryBudget {

    private final long bytes;
    private final String source;

    private MemoryBudget(long bytes, String source) {
        this.bytes = bytes;
        this.source = source;
    }

    /**
     * A fixed budget.
     *
     * @param source how it was derived, for messages
     * @throws IllegalArgumentException for a negative size
     */
    public static MemoryBudget of(long bytes, String source) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, found " + bytes);
        }
        return new MemoryBudget(bytes, source);
    }

    /** The budget of this process now (see the class comment). */
    public static MemoryBudget ofProcess() {
        Runtime rt = Runtime.getRuntime();
        long heap = rt.maxMemory();
        long offHeap = Pointer.maxBytes();
        long limit = saturatedAdd(heap, offHeap);
        StringBuilder how = new StringBuilder("heap ").append(format(heap)).append(" + JavaCPP maxbytes ")
                .append(format(offHeap));
        long physicalCap = Pointer.maxPhysicalBytes();
        if (physicalCap > 0 && physicalCap < limit) {
            limit = physicalCap;
            how.append(", capped by maxphysicalbytes ").append(format(physicalCap));
        }
        long ram = Pointer.totalPhysicalBytes();
        if (ram > 0 && ram < limit) {
            limit = ram;
            how.append(", capped by the machine's ").append(format(ram));
        }
        long inUse = saturatedAdd(rt.totalMemory() - rt.freeMemory(), Pointer.totalBytes());
        how.append(", less ").append(format(inUse)).append(" in use");
        return new MemoryBudget(Math.max(0, limit - inUse), how.toString());
    }

    /** The budget in bytes. */
    public long bytes() {
        return bytes;
    }

    /** How the budget was derived. */
    public String source() {
        return source;
    }

    /**
     * @param item     what is checked, for the message (a file name, escaped by the caller)
     * @param size     its size, for the message (e.g. {@code 8000x8000 pixels})
     * @param estimate its estimated cost in bytes
     * @param detail   what the estimate consists of, for the message
     * @throws IllegalArgumentException naming the item, its size, the estimate and the budget, when the
     *                                  estimate is over the budget
     */
    public void check(String item, String size, long estimate, String detail) {
        if (estimate > bytes) {
            throw new IllegalArgumentException(item + " (" + size + ") needs about " + format(estimate) + " ("
                    + detail + "), over the memory budget of " + format(bytes) + " (" + source
                    + "); use a smaller image, or give Java more memory (-Xmx, "
                    + "-Dorg.bytedeco.javacpp.maxphysicalbytes)");
        }
    }

    /** Bytes as MB or GB with one decimal (1 GB = 2³⁰ bytes); {@link Long#MAX_VALUE} (saturated) as such. */
    public static String format(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 8 EB";
        }
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + format(bytes) + ": " + source + "]";
    }
}
