package org.metalslake.pipeline;

import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.ops.Progress;
import org.metalslake.storage.Lake;

/** A stage of a run (scan, ref, bronze, silver, gold), with what every stage works with. */
abstract class Stage {
  protected final Settings settings;
  protected final Lake lake;
  protected final Progress progress;

  Stage(StageContext context) {
    this.settings = context.settings();
    this.lake = context.lake();
    this.progress = context.progress();
  }

  /** The session, started now if it was not yet (a run with nothing to do never starts one). */
  protected SparkSession spark() {
    return lake.spark();
  }
}
