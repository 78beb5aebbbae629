package org.metalslake.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.ingest.LandedFile;
import org.metalslake.ops.Progress;

/**
 * Session settings sized for the batch. Small batches run on Spark's interpreted expressions:
 * generating and compiling code for the conform and gold plans costs seconds per plan, which a few
 * thousand records never earn back; and on as many shuffle partitions as cores, since every task of
 * a small shuffle is fixed cost. Keys the session was given explicitly are left alone; {@link
 * #close} puts the previous values back.
 */
final class BatchSizing implements AutoCloseable {
  private final Supplier<SparkSession> session;
  private final Settings settings;
  private final Map<String, String> before = new LinkedHashMap<>();

  /** The session is asked for only when a batch is sized (a run with nothing new never is). */
  BatchSizing(Supplier<SparkSession> session, Settings settings) {
    this.session = session;
    this.settings = settings;
  }

  void sizeFor(List<LandedFile> batch, Progress progress) {
    long bytes = batch.stream().mapToLong(LandedFile::size).sum();
    if (bytes >= settings.interpretedBelowBytes()) {
      return;
    }
    SparkSession spark = session.get();
    Map<String, String> small =
        Map.of(
            "spark.sql.codegen.wholeStage", "false",
            "spark.sql.codegen.factoryMode", "NO_CODEGEN",
            "spark.sql.shuffle.partitions",
                String.valueOf(Math.max(1, spark.sparkContext().defaultParallelism())));
    for (Map.Entry<String, String> e : small.entrySet()) {
      if (!settings.explicitSparkConf(e.getKey())) {
        before.put(e.getKey(), spark.conf().get(e.getKey(), null));
        spark.conf().set(e.getKey(), e.getValue());
      }
    }
    progress.info(
        String.format(
            Locale.ROOT,
            "run      %,d bytes of new input: interpreted expressions, %s shuffle partitions",
            bytes,
            spark.conf().get("spark.sql.shuffle.partitions")));
  }

  /**
   * Goes back to generated code for the gold stage when the silver it reads is large, although the
   * batch was small: a month added to a long history rebuilds gold from years of facts. {@code
   * silverBytes} are the stored (Parquet) bytes of the silver tables the gold tables to rebuild
   * read, compared with an eighth of {@code performance.interpreted-below-bytes} (Parquet holds a
   * trade record in about an eighth of its CSV bytes).
   */
  void sizeForGold(long silverBytes, Progress progress) {
    if (before.isEmpty() || silverBytes < settings.interpretedBelowBytes() / 8) {
      return;
    }
    close();
    progress.info(
        String.format(
            Locale.ROOT,
            "gold     %,d bytes of silver to read: generated code, %s shuffle partitions",
            silverBytes,
            session.get().conf().get("spark.sql.shuffle.partitions")));
  }

  @Override
  public void close() {
    if (before.isEmpty()) {
      return;
    }
    SparkSession spark = session.get();
    for (Map.Entry<String, String> e : before.entrySet()) {
      if (e.getValue() == null) {
        spark.conf().unset(e.getKey());
      } else {
        spark.conf().set(e.getKey(), e.getValue());
      }
    }
    before.clear();
  }
}
