package org.metalslake.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.Reasons;

/**
 * The counts that prove nothing was lost: per input file, records = to silver + quarantined (a
 * record is quarantined when one of its rows is an error, or when all of them are skipped as out of
 * scope); per silver table, its candidate rows, facts and quarantined rows.
 *
 * <p>Both come from the batch's outcome rows ({@code _file_no}, {@code _line}, {@code _severity},
 * {@code _target}: one per candidate row of each silver table), grouped on the small file number
 * rather than the 64-character file hash.
 */
public final class Reconciliation {
  private Reconciliation() {}

  /** One input file of the batch: its number in the batch and the records bronze holds of it. */
  public record InputFile(int number, String path, String fileId, String format, long records) {}

  /** Per file (in the batch's order), and per silver table: rows in, facts, rows quarantined. */
  public record Counts(Map<String, FileCount> files, Map<String, long[]> tables) {
    /** Input records of the batch. */
    public long records() {
      return files.values().stream().mapToLong(FileCount::records).sum();
    }

    /** Records quarantined as errors (bad input). */
    public long errors() {
      return files.values().stream().mapToLong(FileCount::errors).sum();
    }

    /** Records quarantined as skipped (outside the product's scope). */
    public long skipped() {
      return files.values().stream().mapToLong(FileCount::skipped).sum();
    }
  }

  /** Counts the outcome; a problem when a record produced neither a fact nor a quarantine row. */
  public static Counts of(Dataset<Row> outcome, List<InputFile> batch) {
    Dataset<Row> perRecord =
        outcome
            .groupBy("_file_no", "_line")
            .agg(
                max(when(col("_severity").equalTo(Reasons.ERROR), 1).otherwise(0)).as("err"),
                max(when(col("_severity").equalTo(Reasons.SKIPPED), 1).otherwise(0)).as("skip"),
                sum(when(col("_severity").isNull(), 1).otherwise(0)).as("good"));
    Column quarantined =
        col("err").equalTo(1).or(col("skip").equalTo(1).and(col("good").equalTo(0)));
    List<Row> rows =
        perRecord
            .groupBy("_file_no")
            .agg(
                count(lit(1)).as("seen"),
                sum(when(quarantined, 1).otherwise(0)).as("quarantined"),
                sum(when(
                            col("err")
                                .equalTo(0)
                                .and(col("skip").equalTo(1))
                                .and(col("good").equalTo(0)),
                            1)
                        .otherwise(0))
                    .as("skipped"),
                sum(when(quarantined.unary_$bang(), col("good")).otherwise(0)).as("facts"))
            .collectAsList();
    Map<Integer, Row> byNumber = new HashMap<>();
    rows.forEach(r -> byNumber.put(r.getInt(0), r));
    Map<String, FileCount> files = new LinkedHashMap<>();
    for (InputFile f : batch) {
      Row r = byNumber.get(f.number());
      long seen = r == null ? 0 : r.getLong(1);
      long q = r == null ? 0 : r.getLong(2);
      long skipped = r == null ? 0 : r.getLong(3);
      long facts = r == null ? 0 : r.getLong(4);
      if (seen != f.records()) {
        throw new IllegalStateException(
            "internal error: "
                + (f.records() - seen)
                + " records of "
                + f.path()
                + " produced neither a fact nor a quarantine row (format "
                + f.format()
                + ")");
      }
      files.put(
          f.fileId(),
          new FileCount(
              f.path(), f.fileId(), f.format(), f.records(), f.records() - q, q, skipped, facts));
    }
    // A record may feed several tables: these are rows of each table, not records.
    Map<String, long[]> tables = new HashMap<>();
    for (Row r :
        outcome
            .groupBy("_target")
            .agg(
                count(lit(1)),
                sum(when(col("_severity").isNull(), 1).otherwise(0)),
                sum(when(col("_severity").isNotNull(), 1).otherwise(0)))
            .collectAsList()) {
      tables.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3)});
    }
    return new Counts(files, tables);
  }

  /**
   * Why the batch must not be committed, if it must not: a file whose counts do not add up, or a
   * share of bad records above {@code maxShare}.
   */
  public static Optional<String> problem(Counts counts, double maxShare) {
    Collection<FileCount> files = counts.files().values();
    for (FileCount c : files) {
      if (!c.reconciles()) {
        return Optional.of(
            "counts do not reconcile for "
                + c.file()
                + ": "
                + c.records()
                + " records, "
                + c.toSilver()
                + " to silver, "
                + c.quarantined()
                + " quarantined");
      }
    }
    long records = counts.records();
    long errors = counts.errors();
    double share = records == 0 ? 0 : (double) errors / records;
    if (share <= maxShare) {
      return Optional.empty();
    }
    FileCount worst =
        files.stream()
            .max(
                (a, b) ->
                    Double.compare(
                        a.errors() / (double) Math.max(1, a.records()),
                        b.errors() / (double) Math.max(1, b.records())))
            .orElseThrow();
    return Optional.of(
        String.format(
            Locale.ROOT,
            "%.1f %% of the input records are bad, above the %.1f %% allowed"
                + " (ingest.max-quarantine-share); worst file: %s with %d of %d records bad."
                + " Nothing was committed to silver or gold.",
            share * 100,
            maxShare * 100,
            worst.file(),
            worst.errors(),
            worst.records()));
  }
}
