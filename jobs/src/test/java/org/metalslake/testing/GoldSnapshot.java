package org.metalslake.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.round;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.metalslake.gold.GoldTable;
import org.metalslake.storage.Lake;

/** The rows of every gold table of a lake, comparable between runs, storages and clusters. */
public final class GoldSnapshot {
  private GoldSnapshot() {}

  /**
   * Table name → its rows as sorted JSON strings; doubles rounded to 6 decimals (sums differ in the
   * last bits when Spark adds in another order: same to a millionth, not bit for bit).
   */
  public static Map<String, List<String>> of(Lake lake) {
    Map<String, List<String>> out = new TreeMap<>();
    for (GoldTable g : GoldTable.ALL) {
      if (!lake.exists(g.id())) {
        continue;
      }
      out.put(g.id().qualified(), rows(lake.read(g.id())));
    }
    return out;
  }

  /** A table's rows as sorted JSON strings, doubles rounded to 6 decimals (as {@link #of}). */
  public static List<String> rows(Dataset<Row> table) {
    Dataset<Row> df = table;
    for (StructField f : df.schema().fields()) {
      if (f.dataType().equals(DataTypes.DoubleType)) {
        df = df.withColumn(f.name(), round(col(f.name()), 6));
      }
    }
    List<String> rows = new ArrayList<>(df.toJSON().collectAsList());
    rows.sort(String::compareTo);
    return rows;
  }
}
