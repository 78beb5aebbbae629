package org.metalslake.storage;

import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;

/**
 * The run's SparkSession, started on first use. A run that finds nothing to do (no new file, the
 * reference data unchanged, every gold table there) answers from the file system and the Delta log
 * alone, and never pays the seconds a session takes to start. Before the session exists, the Hadoop
 * configuration is built from the same settings the session would get (the {@code spark.hadoop.*}
 * keys, spark-submit's properties, the AWS environment), as Spark itself builds it.
 */
public final class LazySession implements Supplier<SparkSession> {
  private final Supplier<SparkSession> start;
  private final Settings settings;
  private SparkSession session;

  private LazySession(Supplier<SparkSession> start, Settings settings, SparkSession session) {
    this.start = start;
    this.settings = settings;
    this.session = session;
  }

  /** A session started by {@link Sessions#create} when first needed. */
  public static LazySession of(Settings settings) {
    return of(settings, () -> Sessions.create(settings));
  }

  /** A session started by {@code start} when first needed, configured by {@code settings}. */
  public static LazySession of(Settings settings, Supplier<SparkSession> start) {
    return new LazySession(start, settings, null);
  }

  /** A session already started (tests, notebooks, a caller's own session). */
  public static LazySession started(SparkSession spark) {
    return new LazySession(() -> spark, null, spark);
  }

  @Override
  public synchronized SparkSession get() {
    if (session == null) {
      session = start.get();
    }
    return session;
  }

  public synchronized boolean isStarted() {
    return session != null;
  }

  /** Stops the session if it was started. */
  public synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }

  /** The Hadoop configuration the session has, or would have once started. */
  public synchronized Configuration hadoopConf() {
    if (session != null) {
      return session.sessionState().newHadoopConf();
    }
    return SparkHadoopUtil.get().newConfiguration(Sessions.conf(settings));
  }
}
