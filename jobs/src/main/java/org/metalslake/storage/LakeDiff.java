package org.metalslake.storage;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

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
 * in the last bits). A sum that falls on a rounding boundary of that form (data with as many
 * decimals as it keeps) can still round apart: rows left over on both sides are paired on their
 * other columns and count as equal when every double agrees to {@link #TOLERANCE} (relative).
 */
public final class LakeDiff {
  private LakeDiff() {}

  /** Relative difference up to which two doubles left over by the rounded comparison agree. */
  public static final double TOLERANCE = 1e-9;

  /**
   * One table's comparison: rows on each side, rows found on one side only, and rows equal only to
   * {@link #TOLERANCE} (paired across a rounding boundary; counted as equal).
   */
  public record Result(
      String table,
      long rowsA,
      long rowsB,
      long onlyInA,
      long onlyInB,
      long withinTolerance,
      String note) {
    public Result(String table, long rowsA, long rowsB, long onlyInA, long onlyInB, String note) {
      this(table, rowsA, rowsB, onlyInA, onlyInB, 0, note);
    }

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

  /**
   * One table's rows, {@code a} against {@code b}, on {@code a}'s columns but the lineage ones (for
   * callers that choose what a table's rows are, such as the lineage a rerun must reproduce).
   */
  public static Result compare(String name, Dataset<Row> a, Dataset<Row> b) {
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
      Dataset<Row> onlyA = x.exceptAll(y).cache();
      Dataset<Row> onlyB = y.exceptAll(x).cache();
      long na = onlyA.count();
      long nb = onlyB.count();
      List<String> doubles = doubleColumns(a, columns);
      boolean nearly =
          na > 0 && na == nb && !doubles.isEmpty() && paired(onlyA, onlyB, columns, doubles, na);
      onlyA.unpersist();
      onlyB.unpersist();
      return nearly
          ? new Result(name, x.count(), y.count(), 0, 0, na, null)
          : new Result(name, x.count(), y.count(), na, nb, 0, null);
    } finally {
      x.unpersist();
      y.unpersist();
    }
  }

  private static List<String> doubleColumns(Dataset<Row> df, List<String> columns) {
    return columns.stream().filter(c -> floating(df.schema().apply(c).dataType())).toList();
  }

  private static boolean floating(org.apache.spark.sql.types.DataType type) {
    return type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType);
  }

  /**
   * True when the leftover rows of the two sides pair one to one: equal in every other column, and
   * each double (read back from its rounded form) within {@link #TOLERANCE} of its partner.
   */
  private static boolean paired(
      Dataset<Row> onlyA, Dataset<Row> onlyB, List<String> columns, List<String> doubles, long n) {
    Dataset<Row> l = onlyA.withColumn("__id", monotonically_increasing_id()).as("l");
    Dataset<Row> r = onlyB.withColumn("__id", monotonically_increasing_id()).as("r");
    Column on = lit(true);
    Column close = lit(true);
    for (String c : columns) {
      Column lc = col("l.`" + c + "`");
      Column rc = col("r.`" + c + "`");
      if (doubles.contains(c)) {
        Column lv = lc.try_cast("double");
        Column rv = rc.try_cast("double");
        close =
            close.and(
                lv.eqNullSafe(rv)
                    .or(abs(lv.minus(rv)).leq(greatest(abs(lv), abs(rv)).multiply(TOLERANCE))));
      } else {
        on = on.and(lc.eqNullSafe(rc));
      }
    }
    Row counts =
        l.join(r, on)
            .filter(close)
            .agg(count(lit(1)), countDistinct(col("l.__id")), countDistinct(col("r.__id")))
            .first();
    return counts.getLong(0) == n && counts.getLong(1) == n && counts.getLong(2) == n;
  }

  private static Dataset<Row> comparable(Dataset<Row> df, List<String> columns) {
    Column[] cols =
        columns.stream()
            .map(
                c -> {
                  var type = df.schema().apply(c).dataType();
                  if (floating(type)) {
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
