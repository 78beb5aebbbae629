package org.metalslake.storage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Compares the tables of two lakes row for row: a change that should not alter answers (a faster
 * plan, a new commit layout) is checked against the lake the previous build wrote. Lineage and
 * bookkeeping columns (those starting with {@code _}) are not compared; doubles are compared to 10
 * significant digits after the decimal point of their scientific form (sums in another order differ
 * in the last bits).
 */
public final class LakeDiff {
  private LakeDiff() {}

  /** One table's comparison: rows on each side and rows found on one side only. */
  public record Result(
      String table, long rowsA, long rowsB, long onlyInA, long onlyInB, String note) {
    public boolean equal() {
      return note == null && rowsA == rowsB && onlyInA == 0 && onlyInB == 0;
    }
  }

  /** Compares every table of {@code layers} found in either lake. */
  public static List<Result> compare(Lake a, Lake b, List<String> layers) {
    Set<String> names = new TreeSet<>();
    for (Lake l : List.of(a, b)) {
      for (TableId t : l.catalog().list()) {
        if (layers.contains(t.layer())) {
          names.add(t.qualified());
        }
      }
    }
    List<Result> out = new ArrayList<>();
    for (String name : names) {
      TableId t = TableId.parse(name);
      boolean inA = a.exists(t);
      boolean inB = b.exists(t);
      if (!inA || !inB) {
        out.add(new Result(name, 0, 0, 0, 0, "only in " + (inA ? "the first" : "the second")));
        continue;
      }
      out.add(compare(name, a.read(t), b.read(t)));
    }
    return out;
  }

  static Result compare(String name, Dataset<Row> a, Dataset<Row> b) {
    List<String> columns = new ArrayList<>();
    for (StructField f : a.schema().fields()) {
      if (!f.name().startsWith("_")) {
        columns.add(f.name());
      }
    }
    Set<String> inB = Set.of(b.columns());
    List<String> missing = columns.stream().filter(c -> !inB.contains(c)).toList();
    if (!missing.isEmpty()) {
      return new Result(name, a.count(), b.count(), 0, 0, "columns only in the first: " + missing);
    }
    Dataset<Row> x = comparable(a, columns).cache();
    Dataset<Row> y = comparable(b, columns).cache();
    try {
      return new Result(
          name, x.count(), y.count(), x.exceptAll(y).count(), y.exceptAll(x).count(), null);
    } finally {
      x.unpersist();
      y.unpersist();
    }
  }

  private static Dataset<Row> comparable(Dataset<Row> df, List<String> columns) {
    Column[] cols =
        columns.stream()
            .map(
                c -> {
                  var type = df.schema().apply(c).dataType();
                  if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType)) {
                    return format_string("%.10e", col(c)).as(c);
                  }
                  if (type instanceof org.apache.spark.sql.types.MapType) {
                    return org.apache
                        .spark
                        .sql
                        .functions
                        .to_json(
                            org.apache.spark.sql.functions.array_sort(
                                org.apache.spark.sql.functions.map_entries(col(c))))
                        .as(c);
                  }
                  return col(c);
                })
            .toArray(Column[]::new);
    return df.select(cols);
  }
}
