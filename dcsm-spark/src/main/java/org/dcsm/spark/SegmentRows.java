package org.dcsm.spark;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet table {@link DcsmSpark#segment} writes: one row per image and run. Columns: {@code id},
 * {@code image_uri}, {@code status} ({@value #OK} or {@value #FAILED}), {@code error} (null when ok),
 * {@code width}/{@code height} (from the header; -1 when unknown), {@code candidates} (class id, name and
 * probability of each candidate class, in the pipeline's channel order), {@code labels_uri} (the palette PNG),
 * {@code read_ms}/{@code segment_ms}/{@code write_ms}, {@code attempt} (the Spark task attempt that wrote the row)
 * and {@code run_id} (one id per call). A re-run appends; an id with an {@value #OK} row is not segmented again.
 */
public final class SegmentRows {

    /** Status of an image segmented and written. */
    public static final String OK = "ok";
    /** Status of an image that failed (the error says why). */
    public static final String FAILED = "failed";
    /** Longest error message kept in a row. */
    public static final int MAX_ERROR_CHARS = 2000;

    /** The candidates' element type. */
    public static final StructType CANDIDATE = DataTypes.createStructType(new StructField[] {
            DataTypes.createStructField("class_id", DataTypes.IntegerType, false),
            DataTypes.createStructField("name", DataTypes.StringType, false),
            DataTypes.createStructField("probability", DataTypes.DoubleType, false)});

    /** The table's schema. */
    public static final StructType SCHEMA = DataTypes.createStructType(new StructField[] {
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("image_uri", DataTypes.StringType, false),
            DataTypes.createStructField("status", DataTypes.StringType, false),
            DataTypes.createStructField("error", DataTypes.StringType, true),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("candidates", DataTypes.createArrayType(CANDIDATE, false), false),
            DataTypes.createStructField("labels_uri", DataTypes.StringType, true),
            DataTypes.createStructField("read_ms", DataTypes.DoubleType, false),
            DataTypes.createStructField("segment_ms", DataTypes.DoubleType, false),
            DataTypes.createStructField("write_ms", DataTypes.DoubleType, false),
            DataTypes.createStructField("attempt", DataTypes.IntegerType, false),
            DataTypes.createStructField("run_id", DataTypes.StringType, false)});

    private SegmentRows() {
    }

    static Row row(ImageRef ref, String status, String error, int width, int height, List<Row> candidates,
                   String labelsUri, double readMs, double segmentMs, double writeMs, int attempt, String runId) {
        // an array column takes a Scala Seq or a Java array, not a java.util.List
        return RowFactory.create(ref.id(), ref.imageUri(), status, error, width, height, candidates.toArray(new Row[0]),
                labelsUri, readMs,
                segmentMs, writeMs, attempt, runId);
    }

    /** The exception's class and message (and its cause's), shortened to {@link #MAX_ERROR_CHARS}. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        Throwable c = e.getCause();
        if (c != null && c != e) {
            b.append(" (caused by ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage())
                    .append(')');
        }
        return b.length() > MAX_ERROR_CHARS ? b.substring(0, MAX_ERROR_CHARS - 3) + "..." : b.toString();
    }
}
