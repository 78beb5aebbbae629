package org.metalslake.pipeline;

import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.ops.Progress;
import org.metalslake.storage.Lake;

/**
 * What every stage of a run works with: the settings, the lake (and through it the session, started
 * when first needed) and the progress.
 */
record StageContext(Settings settings, Lake lake, Progress progress) {
  /** The lake's session, started now if it was not yet. */
  SparkSession spark() {
    return lake.spark();
  }
}
