package org.metalslake.storage;

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
    conf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    return conf;
  }
}
