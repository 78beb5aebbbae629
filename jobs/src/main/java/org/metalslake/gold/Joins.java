package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Joins of a fact table with a lookup on key columns that may be named differently. */
final class Joins {
  private Joins() {}

  /**
   * Joins {@code right} to {@code left} where each of {@code leftKeys} equals the {@code rightKeys}
   * column at the same position, null-safe (a null basis matches a null basis); the right key
   * columns are dropped, its other columns kept (they must not clash with left's).
   */
  static Dataset<Row> lookup(
      Dataset<Row> left,
      Dataset<Row> right,
      List<String> leftKeys,
      List<String> rightKeys,
      String how) {
    if (leftKeys.size() != rightKeys.size()) {
      throw new IllegalArgumentException(leftKeys + " and " + rightKeys + " differ in length");
    }
    Dataset<Row> r = right;
    Column on = lit(true);
    for (int i = 0; i < rightKeys.size(); i++) {
      String tmp = "__k" + i + "_" + rightKeys.get(i);
      r = r.withColumnRenamed(rightKeys.get(i), tmp);
      on = on.and(col(leftKeys.get(i)).eqNullSafe(col(tmp)));
    }
    Dataset<Row> joined = left.join(r, on, how);
    for (int i = 0; i < rightKeys.size(); i++) {
      joined = joined.drop("__k" + i + "_" + rightKeys.get(i));
    }
    return joined;
  }

  /** {@link #lookup} on keys named the same on both sides. */
  static Dataset<Row> lookup(Dataset<Row> left, Dataset<Row> right, List<String> keys, String how) {
    return lookup(left, right, keys, keys, how);
  }
}
