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

  public void start(String stage, String what) {
    stageStarted = System.nanoTime();
    LOG.info(String.format(Locale.ROOT, "%-8s %s", stage, what));
  }

  /** Ends a stage: prints what it did and returns its duration in seconds. */
  public double done(String stage, String what) {
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
    String fmt = "%-28s %12s %12s %12s %9s%n";
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
