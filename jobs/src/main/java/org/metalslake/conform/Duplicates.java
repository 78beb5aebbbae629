package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Duplicate keys inside one file: an exact repeat of a fact is quarantined as a duplicate of the
 * first line; facts that share a key but disagree are all quarantined, since neither can be trusted
 * over the other. (Across files and runs a later release replaces an earlier one.)
 *
 * <p>Found with an aggregation over the narrow key columns, not a window over whole rows: only the
 * keys that repeat are joined back, so a file without duplicates costs one hash aggregate.
 */
public final class Duplicates {
  private Duplicates() {}

  /** Up to this many repeated keys are broadcast to the join; more are joined by shuffling. */
  public static final long BROADCAST_LIMIT = 1_000_000;

  /**
   * The repeated keys, materialised once: broadcast when there are few (the usual case: the join
   * then leaves the facts where they are), shuffled when there are many.
   */
  public static Dataset<Row> smallSide(Dataset<Row> repeated) {
    Dataset<Row> done = repeated.localCheckpoint(true);
    return done.count() <= BROADCAST_LIMIT ? org.apache.spark.sql.functions.broadcast(done) : done;
  }

  /** {@link #flag(Dataset, List, String)} with files told apart by {@code _file_id}. */
  public static Dataset<Row> flag(Dataset<Row> facts, List<String> key) {
    return flag(facts, key, "_file_id");
  }

  /**
   * The facts with duplicates inside one file flagged: {@code fileColumn} tells the files apart
   * (the batch's small file number is cheaper to group on than the file hash).
   */
  public static Dataset<Row> flag(Dataset<Row> facts, List<String> key, String fileColumn) {
    List<String> valueCols = new ArrayList<>();
    for (String c : facts.columns()) {
      if (!key.contains(c) && !c.startsWith("_") && !c.equals("record")) {
        valueCols.add(c);
      }
    }
    List<Column> group = new ArrayList<>();
    group.add(col(fileColumn));
    key.forEach(k -> group.add(col(k)));
    Column valueHash = xxhash64(valueCols.stream().map(c -> col(c)).toArray(Column[]::new));
    Dataset<Row> df =
        facts.withColumn("__good", col("_reason").isNull()).withColumn("__hash", valueHash);
    // Per file and key, over good facts only: how many, whether their values differ, the lines.
    Dataset<Row> repeated =
        df.filter(col("__good"))
            .groupBy(group.toArray(new Column[0]))
            .agg(
                count(lit(1)).as("__n"),
                min(col("__hash")).as("__min_hash"),
                max(col("__hash")).as("__max_hash"),
                min(col("_line")).as("__first_line"),
                max(col("_line")).as("__last_line"))
            .filter(col("__n").gt(1));
    List<String> renamed = new ArrayList<>();
    Dataset<Row> r = repeated;
    for (String c : repeated.columns()) {
      if (c.equals(fileColumn) || key.contains(c)) {
        r = r.withColumnRenamed(c, "__r_" + c);
        renamed.add(c);
      }
    }
    Column on = lit(true);
    for (String c : renamed) {
      on = on.and(col(c).eqNullSafe(col("__r_" + c)));
    }
    Dataset<Row> joined = df.join(smallSide(r), on, "left");
    Column inGroup = col("__good").and(col("__n").isNotNull());
    Column differ = col("__min_hash").notEqual(col("__max_hash"));
    Column lines =
        when(
                col("__n").equalTo(2),
                concat(
                    col("__first_line").cast("string"),
                    lit(", "),
                    col("__last_line").cast("string")))
            .otherwise(
                concat(
                    col("__first_line").cast("string"),
                    lit(" … "),
                    col("__last_line").cast("string"),
                    lit(", "),
                    col("__n").cast("string"),
                    lit(" records")));
    Column conflict =
        when(
            inGroup.and(differ),
            concat(lit("duplicate key with conflicting values (lines "), lines, lit(")")));
    Column repeat =
        when(
            inGroup.and(differ.unary_$bang()).and(col("_line").notEqual(col("__first_line"))),
            concat(lit("exact duplicate of line "), col("__first_line").cast("string")));
    Column newReason = coalesce(conflict, repeat);
    List<String> drop = new ArrayList<>(List.of("__good", "__hash", "__n", "__min_hash"));
    drop.addAll(List.of("__max_hash", "__first_line", "__last_line"));
    renamed.forEach(c -> drop.add("__r_" + c));
    return joined
        .withColumn(
            "_severity",
            when(newReason.isNotNull(), lit(Reasons.ERROR)).otherwise(col("_severity")))
        .withColumn("_reason", coalesce(col("_reason"), newReason))
        .drop(drop.toArray(new String[0]));
  }
}
