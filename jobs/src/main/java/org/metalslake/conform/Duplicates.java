package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Duplicate keys inside one file: an exact repeat of a fact is quarantined as a duplicate of the
 * first line; facts that share a key but disagree are all quarantined, since neither can be trusted
 * over the other. (Across files and runs a later release replaces an earlier one.)
 */
public final class Duplicates {
  private Duplicates() {}

  public static Dataset<Row> flag(Dataset<Row> facts, List<String> key) {
    List<String> valueCols = new ArrayList<>();
    for (String c : facts.columns()) {
      if (!key.contains(c) && !c.startsWith("_") && !c.equals("record")) {
        valueCols.add(c);
      }
    }
    List<Column> partition = new ArrayList<>();
    partition.add(col("_file_id"));
    key.forEach(k -> partition.add(col(k)));
    partition.add(col("__good"));
    // One partitioning and one order for every window below, so Spark sorts once.
    WindowSpec ordered = Window.partitionBy(partition.toArray(new Column[0])).orderBy(col("_line"));
    WindowSpec whole =
        ordered.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Column valueHash = xxhash64(valueCols.stream().map(c -> col(c)).toArray(Column[]::new));
    Dataset<Row> df =
        facts
            .withColumn("__good", col("_reason").isNull())
            .withColumn("__hash", valueHash)
            .withColumn(
                "__conflict",
                min(col("__hash")).over(whole).notEqual(max(col("__hash")).over(whole)))
            .withColumn("__n", count(lit(1)).over(whole))
            .withColumn("__rank", row_number().over(ordered))
            .withColumn("__first_line", min(col("_line")).over(whole))
            .withColumn("__last_line", max(col("_line")).over(whole));
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
            col("__good").and(col("__conflict")),
            concat(lit("duplicate key with conflicting values (lines "), lines, lit(")")));
    Column repeat =
        when(
            col("__good").and(col("__conflict").unary_$bang()).and(col("__rank").gt(1)),
            concat(lit("exact duplicate of line "), col("__first_line").cast("string")));
    Column newReason = coalesce(conflict, repeat);
    return df.withColumn(
            "_severity",
            when(newReason.isNotNull(), lit(Reasons.ERROR)).otherwise(col("_severity")))
        .withColumn("_reason", coalesce(col("_reason"), newReason))
        .drop("__good", "__hash", "__conflict", "__n", "__rank", "__first_line", "__last_line");
  }
}
