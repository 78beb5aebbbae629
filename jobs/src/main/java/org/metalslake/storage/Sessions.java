package org.metalslake.storage;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;

/** The one place that builds a SparkSession, for jobs, the CLI and tests alike. */
public final class Sessions {
  private Sessions() {}

  public static SparkSession create(Settings settings) {
    // spark-submit passes its settings as spark.* system properties; SparkConf reads them.
    SparkConf submitted = new SparkConf(true);
    SparkSession.Builder builder = SparkSession.builder().appName(settings.sparkAppName());
    if (!submitted.contains("spark.master")) {
      builder.master(settings.sparkMaster());
    }
    for (Map.Entry<String, String> e : settings.sparkConf().entrySet()) {
      if (!submitted.contains(e.getKey()) && !e.getValue().isEmpty()) {
        builder.config(e.getKey(), e.getValue());
      }
    }
    builder
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    SparkSession spark = builder.getOrCreate();
    return spark;
  }
}
