package org.metalslake.pipeline;

import java.sql.Timestamp;
import java.util.List;
import org.metalslake.ops.Progress;
import org.metalslake.ops.RunLog;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableId;

/**
 * A table rolled back to an earlier version, logged in {@code ops.runs} as a run of job {@code
 * restore} like any other change to the lake. The rollback is Delta's RESTORE: one new commit, so
 * the versions rolled back stay in the history (and can be restored in turn). There is no lake lock
 * to take: like every write here, the restore is one Delta commit of the next version, so a writer
 * committing to the table at the same time makes one of the two fail rather than mix (exit 75,
 * retry, when Delta reports it as a concurrent modification, as for a run).
 */
public final class Restore {
  private Restore() {}

  public static final String JOB = "restore";

  /** What a restore did: from which version to which, and the rows the table now has. */
  public record Result(
      String runId, TableId table, long from, long to, long now, long rows, double seconds) {
    /** The note in ops.runs: {@code gold.x restored from version 7 to version 3}. */
    public String message() {
      return table + " restored from version " + from + " to version " + to;
    }
  }

  /**
   * Restores {@code t} to {@code version}, a version of its log ({@code
   * lake.timeTravel().version(…)} checks one); {@code args} is the command line for ops.runs.
   */
  public static Result run(Lake lake, TableId t, long version, String args) {
    long startNanos = System.nanoTime();
    RunLog.Run log =
        new RunLog.Run(
            lake, Pipeline.newRunId(), JOB, args, new Timestamp(System.currentTimeMillis()));
    long from = -1;
    Long rowsBefore = null;
    try {
      from = lake.timeTravel().currentVersion(t);
      rowsBefore = lake.read(t).count();
      long now = lake.timeTravel().restore(t, version);
      long rows = lake.timeTravel().read(t, String.valueOf(now)).count();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      Result r = new Result(log.runId(), t, from, version, now, rows, seconds);
      log.end(
          "succeeded",
          r.message(),
          List.of(),
          List.of(),
          List.of(new Progress.TableCount(t.qualified(), rowsBefore, rows, 0L, seconds)));
      return r;
    } catch (RuntimeException e) {
      String what =
          t
              + " not restored"
              + (from < 0 ? "" : " from version " + from)
              + " to version "
              + version
              + ": "
              + e.getMessage();
      try {
        log.end(
            Pipeline.failedStatus(e),
            what,
            List.of(),
            List.of(),
            List.of(
                new Progress.TableCount(
                    t.qualified(),
                    rowsBefore,
                    null,
                    null,
                    (System.nanoTime() - startNanos) / 1e9)));
      } catch (RuntimeException logFailure) {
        e.addSuppressed(logFailure);
      }
      throw e;
    }
  }
}
