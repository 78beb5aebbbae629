package org.metalslake.gold;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.gold.TradeTotals.toCols;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Choosing one source where several give the same figure. */
final class Sources {
  private Sources() {}

  /**
   * Keeps, per key, the row of the preferred source: rows first in the {@code before} order, then
   * listed sources in their order, then the {@code after} order, then alphabetically by source.
   */
  static Dataset<Row> pick(
      Dataset<Row> bySource,
      List<String> keys,
      List<String> priority,
      Column before,
      Column after) {
    Column rank;
    if (priority.isEmpty()) {
      rank = lit(Long.MAX_VALUE);
    } else {
      Column position =
          array_position(
              array(priority.stream().map(p -> lit(p)).toArray(Column[]::new)), col("source"));
      rank = when(position.equalTo(0), lit(Long.MAX_VALUE)).otherwise(position);
    }
    return bySource
        .withColumn(
            "__rank",
            row_number()
                .over(Window.partitionBy(toCols(keys)).orderBy(before, rank, after, col("source"))))
        .filter(col("__rank").equalTo(1))
        .drop("__rank");
  }

  /** Keeps, per key, the row of the first listed source, else the first alphabetically. */
  static Dataset<Row> pick(Dataset<Row> bySource, List<String> keys, List<String> priority) {
    return pick(bySource, keys, priority, lit(0), lit(0));
  }
}
