package org.metalslake.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.metalslake.config.Settings;
import org.metalslake.storage.Sessions;

/**
 * The shared test harness: one local SparkSession for the whole test run (local[2], two shuffle
 * partitions, UI off, bound to 127.0.0.1), typed fixtures and row-list comparison with a tolerance.
 */
public abstract class SparkTest {
  private static SparkSession spark;

  /** Settings for tests: the embedded defaults, made small. */
  public static Settings testSettings(Map<String, String> more) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("spark.master", "local[2]");
    m.put("spark.conf.\"spark.sql.shuffle.partitions\"", "2");
    m.put("spark.conf.\"spark.default.parallelism\"", "2");
    m.putAll(more);
    return Settings.load(null, m);
  }

  protected static synchronized SparkSession spark() {
    if (spark == null) {
      spark = Sessions.create(testSettings(Map.of()));
    }
    return spark;
  }

  /**
   * After each test class: the Delta logs of its lakes and any cached data are let go, so one JVM
   * running every class does not keep every class's tables in memory.
   */
  @AfterAll
  static void releaseCaches() {
    if (spark != null) {
      org.apache.spark.sql.delta.DeltaLog.clearCache();
      spark.catalog().clearCache();
    }
  }

  /** The project's root folder (for the bundled sample data). */
  public static File projectDir() {
    String dir = System.getProperty("metalslake.project.dir");
    File f = dir == null ? new File("..").getAbsoluteFile() : new File(dir);
    if (!new File(f, "data/samples").isDirectory()) {
      f = new File(".").getAbsoluteFile();
    }
    return f;
  }

  /** A DataFrame from rows with an explicit schema (DDL), never inferred. */
  protected static Dataset<Row> df(String ddl, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark().createDataFrame(list, StructType.fromDDL(ddl));
  }

  protected static Object[] row(Object... values) {
    return values;
  }

  /** Rows of {@code df}'s columns {@code cols}, sorted by their string form. */
  protected static List<Object[]> rows(Dataset<Row> df, String... cols) {
    Dataset<Row> sel = cols.length == 0 ? df : df.selectExpr(cols);
    List<Object[]> out = new ArrayList<>();
    for (Row r : sel.collectAsList()) {
      Object[] o = new Object[r.size()];
      for (int i = 0; i < r.size(); i++) {
        o[i] = r.get(i);
      }
      out.add(o);
    }
    out.sort(Comparator.comparing(Arrays::deepToString));
    return out;
  }

  /** Compares row lists (order-insensitive); doubles within {@code tol}; names the first diff. */
  protected static void assertRows(List<Object[]> expected, List<Object[]> actual, double tol) {
    List<Object[]> e = new ArrayList<>(expected);
    e.sort(Comparator.comparing(Arrays::deepToString));
    List<Object[]> a = new ArrayList<>(actual);
    a.sort(Comparator.comparing(Arrays::deepToString));
    if (e.size() != a.size()) {
      fail(
          "expected "
              + e.size()
              + " rows, got "
              + a.size()
              + ":\nexpected "
              + render(e)
              + "\nactual   "
              + render(a));
    }
    for (int i = 0; i < e.size(); i++) {
      Object[] x = e.get(i);
      Object[] y = a.get(i);
      assertEquals(x.length, y.length, "row " + i + " width");
      for (int j = 0; j < x.length; j++) {
        String ctx = "row " + i + " " + Arrays.deepToString(y) + ", column " + j;
        if (x[j] instanceof Number n && y[j] instanceof Number m) {
          assertEquals(n.doubleValue(), m.doubleValue(), tol, ctx);
        } else {
          assertEquals(x[j], y[j], ctx);
        }
      }
    }
  }

  private static String render(List<Object[]> rows) {
    StringBuilder sb = new StringBuilder();
    for (Object[] r : rows) {
      sb.append(Arrays.deepToString(r)).append('\n');
    }
    return sb.toString();
  }
}
