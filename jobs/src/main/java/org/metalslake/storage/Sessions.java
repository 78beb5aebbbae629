package org.metalslake.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;

/** The one place that builds a SparkSession, for jobs, the CLI and tests alike. */
public final class Sessions {
  private Sessions() {}

  public static SparkSession create(Settings settings) {
    return SparkSession.builder().config(conf(settings)).getOrCreate();
  }

  /**
   * The session's configuration: what spark-submit passed (as spark.* system properties, which
   * SparkConf reads) wins over the settings; Delta's extension and catalog on top.
   */
  static SparkConf conf(Settings settings) {
    SparkConf conf = new SparkConf(true);
    if (!conf.contains("spark.app.name")) {
      conf.setAppName(settings.sparkAppName());
    }
    if (!conf.contains("spark.master")) {
      conf.setMaster(settings.sparkMaster());
    }
    for (Map.Entry<String, String> e : settings.sparkConf().entrySet()) {
      if (!conf.contains(e.getKey()) && !e.getValue().isEmpty()) {
        conf.set(e.getKey(), e.getValue());
      }
    }
    withDelta(conf);
    return conf;
  }

  static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  static final String SESSION_CATALOG = "spark.sql.catalog.spark_catalog";

  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger("org.metalslake.progress");

  /**
   * Delta's SQL extension added to the extensions a cluster already configures (kept, in their
   * order, Delta's last), and Delta's catalog as the session catalog unless the cluster set its
   * own: a cluster's catalog is kept (replacing it would hide its tables from this job), with a
   * warning, since creating tables by path then depends on that catalog delegating to Delta's.
   */
  static void withDelta(SparkConf conf) {
    String given = conf.get("spark.sql.extensions", "").trim();
    List<String> extensions = new ArrayList<>();
    for (String e : given.split(",")) {
      if (!e.isBlank() && !extensions.contains(e.trim())) {
        extensions.add(e.trim());
      }
    }
    if (!extensions.contains(DELTA_EXTENSION)) {
      extensions.add(DELTA_EXTENSION);
    }
    conf.set("spark.sql.extensions", String.join(",", extensions));
    String catalog = conf.get(SESSION_CATALOG, "").trim();
    if (catalog.isEmpty()) {
      conf.set(SESSION_CATALOG, DELTA_CATALOG);
    } else if (!catalog.equals(DELTA_CATALOG)) {
      LOG.warn(
          SESSION_CATALOG
              + " is the cluster's "
              + catalog
              + ": kept. Delta's tables are read and written by path; creating one needs that"
              + " catalog to hand Delta tables to "
              + DELTA_CATALOG);
    }
  }
}
