package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
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
    WindowSpec byKey = Window.partitionBy(partition.toArray(new Column[0]));
    WindowSpec ordered = byKey.orderBy(col("_line"));
    Column valueHash = xxhash64(valueCols.stream().map(c -> col(c)).toArray(Column[]::new));
    Column lines = sort_array(collect_set(col("_line")).over(byKey));
    Dataset<Row> df =
        facts
            .withColumn("__good", col("_reason").isNull())
            .withColumn("__variants", size(collect_set(valueHash).over(byKey)))
            .withColumn("__rank", row_number().over(ordered))
            .withColumn("__first_line", first(col("_line")).over(ordered))
            .withColumn("__lines", concat_ws(", ", slice(lines, 1, 10).cast("array<string>")));
    Column conflict =
        when(
            col("__good").and(col("__variants").gt(1)),
            concat(lit("duplicate key with conflicting values (lines "), col("__lines"), lit(")")));
    Column repeat =
        when(
            col("__good").and(col("__variants").equalTo(1)).and(col("__rank").gt(1)),
            concat(lit("exact duplicate of line "), col("__first_line").cast("string")));
    Column newReason = coalesce(conflict, repeat);
    return df.withColumn(
            "_severity",
            when(newReason.isNotNull(), lit(Reasons.ERROR)).otherwise(col("_severity")))
        .withColumn("_reason", coalesce(col("_reason"), newReason))
        .drop("__good", "__variants", "__rank", "__first_line", "__lines");
  }
}
