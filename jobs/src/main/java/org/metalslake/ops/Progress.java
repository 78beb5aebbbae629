package org.metalslake.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Progress lines per stage and the closing summary table, through the job's own logger. */
public final class Progress {
  private static final Logger LOG = LogManager.getLogger("org.metalslake.progress");

  private final List<TableCount> tables = new ArrayList<>();
  private final long started = System.nanoTime();
  private long stageStarted = System.nanoTime();

  /**
   * Milliseconds between two progress lines of a running stage (10 s; {@code
   * -Dmetalslake.progress.every-ms=N} for another interval).
   */
  static final long EVERY_MS = Long.getLong("metalslake.progress.every-ms", 10_000);

  private java.util.concurrent.ScheduledExecutorService beats;
  private java.util.concurrent.ScheduledFuture<?> beat;
  private final long everyMs;
  private final java.util.function.Consumer<String> beatTo;

  public Progress() {
    this(EVERY_MS, LOG::info);
  }

  /** Progress whose running-stage lines come every {@code everyMs} and go to {@code beatTo}. */
  Progress(long everyMs, java.util.function.Consumer<String> beatTo) {
    this.everyMs = everyMs;
    this.beatTo = beatTo;
  }

  public void start(String stage, String what) {
    stageStarted = System.nanoTime();
    LOG.info(String.format(Locale.ROOT, "%-8s %s", stage, what));
    beatDuring(stage, stageStarted);
  }

  /**
   * Every {@link #EVERY_MS} until the stage is done, one line of what the stage is doing: its Spark
   * jobs and their tasks done so far, so that a long stage is never silent.
   */
  private synchronized void beatDuring(String stage, long since) {
    stopBeating();
    if (beats == null) {
      beats =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "metalslake-progress");
                t.setDaemon(true);
                return t;
              });
    }
    beat =
        beats.scheduleAtFixedRate(
            () -> beatTo.accept(beatLine(stage, since)),
            everyMs,
            everyMs,
            java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Stops the lines of the running stage (a stage that failed; the run's end). */
  public synchronized void stopBeating() {
    if (beat != null) {
      beat.cancel(false);
      beat = null;
    }
  }

  /** The line of a running stage: seconds in, and the Spark jobs and tasks of the session. */
  static String beatLine(String stage, long since) {
    double s = (System.nanoTime() - since) / 1e9;
    scala.Option<org.apache.spark.sql.SparkSession> active =
        org.apache.spark.sql.SparkSession.getDefaultSession();
    if (active.isEmpty()) {
      return String.format(Locale.ROOT, "%-8s   … %.0f s in: no Spark session yet", stage, s);
    }
    org.apache.spark.api.java.JavaSparkStatusTracker tracker =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(active.get().sparkContext())
            .statusTracker();
    int jobs = tracker.getActiveJobIds().length;
    int[] stages = tracker.getActiveStageIds();
    long done = 0;
    long total = 0;
    long running = 0;
    for (int id : stages) {
      org.apache.spark.SparkStageInfo info = tracker.getStageInfo(id);
      if (info != null) {
        done += info.numCompletedTasks();
        total += info.numTasks();
        running += info.numActiveTasks();
      }
    }
    if (jobs == 0) {
      return String.format(
          Locale.ROOT, "%-8s   … %.0f s in: between Spark jobs (planning, commits)", stage, s);
    }
    return String.format(
        Locale.ROOT,
        "%-8s   … %.0f s in: %d Spark job%s running, %,d of %,d tasks of %d stage%s done, %d"
            + " running",
        stage,
        s,
        jobs,
        jobs == 1 ? "" : "s",
        done,
        total,
        stages.length,
        stages.length == 1 ? "" : "s",
        running);
  }

  /** Ends a stage: prints what it did and returns its duration in seconds. */
  public double done(String stage, String what) {
    stopBeating();
    double s = (System.nanoTime() - stageStarted) / 1e9;
    LOG.info(String.format(Locale.ROOT, "%-8s %s (%.1f s)", stage, what, s));
    return s;
  }

  /** A step inside a stage, at debug level (set org.metalslake.progress to debug to see it). */
  public void debug(String stage, String what) {
    if (LOG.isDebugEnabled()) {
      double s = (System.nanoTime() - stageStarted) / 1e9;
      LOG.debug(String.format(Locale.ROOT, "%-8s   %s (%.1f s into the stage)", stage, what, s));
    }
  }

  public void info(String line) {
    LOG.info(line);
  }

  public void warn(String line) {
    LOG.warn(line);
  }

  public void table(TableCount c) {
    tables.add(c);
  }

  public List<TableCount> tables() {
    return tables;
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** The summary table: rows in, out and quarantined per table, and seconds. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    // The first column as wide as the longest table name (bronze.usgs_critical_minerals_raw is 33).
    int width = tables.stream().mapToInt(t -> t.table().length()).max().orElse(0);
    String fmt = "%-" + Math.max(28, width) + "s %12s %12s %12s %9s%n";
    sb.append(
        String.format(Locale.ROOT, fmt, "table", "rows in", "rows out", "quarantined", "seconds"));
    for (TableCount t : tables) {
      sb.append(
          String.format(
              Locale.ROOT,
              fmt,
              t.table(),
              t.rowsIn() == null ? "" : String.format(Locale.ROOT, "%,d", t.rowsIn()),
              t.rowsOut() == null ? "" : String.format(Locale.ROOT, "%,d", t.rowsOut()),
              t.rowsQuarantined() == null
                  ? ""
                  : String.format(Locale.ROOT, "%,d", t.rowsQuarantined()),
              String.format(Locale.ROOT, "%.1f", t.seconds())));
    }
    return sb.toString();
  }

  /** Counts for one table in one run. */
  public record TableCount(
      String table, Long rowsIn, Long rowsOut, Long rowsQuarantined, double seconds) {}
}
