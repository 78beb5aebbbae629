package org.metalslake.notebook;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Sessions;
import org.metalslake.storage.TableId;

/**
 * What a notebook needs from the project: a session on a lake with every table registered by name
 * (through the project's own session factory), HTML tables, and a guard that stops a notebook whose
 * data is missing instead of drawing an empty chart.
 *
 * <p>The lake is {@code METALS_LAKE_ROOT} (a folder or {@code s3a://bucket/prefix}), else {@code
 * lake} in the project folder; {@code METALS_LAKE_CONF} names a configuration file (HOCON, as for
 * {@code --conf}) such as {@code conf/s3.conf}.
 */
public final class Notebook {
  private static SparkSession spark;
  private static Lake lake;

  private Notebook() {}

  /** The session, started on first use, with every table of the lake registered. */
  public static synchronized SparkSession session() {
    if (spark == null) {
      // The Java kernel turns java.util.logging up to its most verbose level, which breaks
      // Spark's code generation (it logs whole generated classes): back to INFO.
      Logger.getLogger("").setLevel(Level.INFO);
      Settings settings = settings(System.getenv());
      spark = Sessions.create(settings);
      lake = new Lake(spark, settings);
      lake.catalog().registerAll();
    }
    return spark;
  }

  /** The lake the session reads. */
  public static synchronized Lake lake() {
    session();
    return lake;
  }

  /** Every table of the lake, by layer and name. */
  public static List<TableId> tables() {
    return lake().catalog().list();
  }

  /** Runs a query on the lake's tables (by name: {@code gold.production_growth}). */
  public static Dataset<Row> sql(String query) {
    return session().sql(query);
  }

  /** The settings a notebook runs with, from its environment ({@link Notebook}). */
  static Settings settings(Map<String, String> env) {
    Map<String, String> overrides = new HashMap<>();
    String root = env.get("METALS_LAKE_ROOT");
    String conf = env.get("METALS_LAKE_CONF");
    if (root != null && !root.isBlank()) {
      overrides.put(Settings.LAKE_ROOT, root);
    } else if (conf == null || conf.isBlank()) {
      overrides.put(Settings.LAKE_ROOT, new File(projectHome(), "lake").getPath());
    }
    // A notebook shares the machine with its reader: two cores, small shuffles, no web UI.
    overrides.put(Settings.SPARK_MASTER, env.getOrDefault("METALS_LAKE_MASTER", "local[2]"));
    overrides.put(Settings.SPARK_CONF + ".\"spark.sql.shuffle.partitions\"", "4");
    overrides.put(Settings.SPARK_CONF + ".\"spark.ui.enabled\"", "false");
    overrides.put(Settings.SPARK_CONF + ".\"spark.driver.host\"", "127.0.0.1");
    overrides.put(Settings.SPARK_CONF + ".\"spark.databricks.delta.snapshotPartitions\"", "2");
    return Settings.load(conf == null || conf.isBlank() ? null : new File(conf), overrides);
  }

  /**
   * The project folder: the nearest folder at or above the working directory that holds {@code
   * bin/metals-lake} (a notebook runs in {@code notebooks/}); else the working directory.
   */
  static File projectHome() {
    File here = new File("").getAbsoluteFile();
    for (File d = here; d != null; d = d.getParentFile()) {
      if (new File(d, "bin/metals-lake").isFile()) {
        return d;
      }
    }
    return here;
  }

  /**
   * Stops the notebook with a clear message when a query returned fewer rows than it needs: a
   * notebook run in CI fails instead of drawing an empty chart.
   */
  public static Dataset<Row> require(Dataset<Row> df, long minRows, String what) {
    long n = df.count();
    if (n < minRows) {
      throw new IllegalStateException(
          what + ": expected at least " + minRows + " rows, the lake has " + n);
    }
    return df;
  }

  /** The first {@code maxRows} rows as an HTML table (cells escaped, numbers right-aligned). */
  public static String html(Dataset<Row> df, int maxRows) {
    return Html.table(df.schema(), df.limit(maxRows).collectAsList());
  }

  /** At most 50 rows as an HTML table. */
  public static String html(Dataset<Row> df) {
    return html(df, 50);
  }
}
