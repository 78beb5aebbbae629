package org.metalslake.pipeline;

import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.ops.Progress;
import org.metalslake.storage.Lake;

/** What every stage of a run works with: the session, the settings, the lake and the progress. */
record StageContext(SparkSession spark, Settings settings, Lake lake, Progress progress) {}
