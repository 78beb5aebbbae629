package org.metalslake.storage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Tables and queries as of a table version or a timestamp (Delta time travel). */
public final class TimeTravel {
  private final Lake lake;

  TimeTravel(Lake lake) {
    this.lake = lake;
  }

  private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("[0-9]+");
  private static final java.util.regex.Pattern TIMESTAMP =
      java.util.regex.Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?)?");

  /**
   * Checks a time-travel point: a table version ({@code 3}) or a timestamp ({@code 2026-11-29},
   * {@code 2026-11-29 10:15:00}).
   */
  public static String check(String asOf) {
    return check("--as-of", asOf);
  }

  /** {@link #check(String)} of the value of {@code option}, which the message names. */
  public static String check(String option, String point) {
    String a = point.trim();
    if (!VERSION.matcher(a).matches() && !TIMESTAMP.matcher(a).matches()) {
      throw new IllegalArgumentException(
          option
              + " must be a table version (3) or a timestamp (2026-11-29 or 2026-11-29 10:15:00),"
              + " not '"
              + point
              + "'");
    }
    return a.replace('T', ' ');
  }

  /** The table's latest version, read from its log in this process (no Spark job). */
  public long currentVersion(TableId t) {
    return lake.log()
        .snapshot(lake.location(t))
        .orElseThrow(() -> new IllegalArgumentException("no table " + t + " under " + lake.root()))
        .getVersion();
  }

  /**
   * The version a point ({@link #check}) names in the table's log: the version itself, or the
   * latest committed at or before the timestamp (read in the session's time zone, as {@code
   * TIMESTAMP AS OF} reads it). Fails with a message giving the versions there are when the log
   * holds no such version (not written yet, or older than the log keeps).
   */
  public long version(TableId t, String point) {
    String a = check(point);
    // Oldest first: a small table of one row per commit the log keeps.
    List<Row> commits =
        DeltaTable.forPath(lake.spark(), lake.location(t))
            .history()
            .select("version", "timestamp")
            .orderBy("version")
            .collectAsList();
    long first = commits.get(0).getLong(0);
    long last = commits.get(commits.size() - 1).getLong(0);
    String versions = t + " has versions " + first + " to " + last;
    if (VERSION.matcher(a).matches()) {
      long v = a.length() > 18 ? Long.MAX_VALUE : Long.parseLong(a);
      if (v < first || v > last) {
        throw new IllegalArgumentException(versions + ", no version " + a);
      }
      return v;
    }
    Timestamp when =
        lake.spark()
            .createDataFrame(List.of(RowFactory.create(a)), StructType.fromDDL("point STRING"))
            .selectExpr("try_cast(point AS TIMESTAMP)")
            .first()
            .getTimestamp(0);
    if (when == null) {
      throw new IllegalArgumentException("'" + point + "' is not a valid timestamp");
    }
    Long found = null;
    for (Row c : commits) {
      if (!c.getTimestamp(1).after(when)) {
        found = c.getLong(0);
      }
    }
    if (found == null) {
      throw new IllegalArgumentException(
          versions
              + ", none at or before "
              + a
              + " (version "
              + first
              + " is of "
              + commits.get(0).getTimestamp(1)
              + ")");
    }
    return found;
  }

  /**
   * Rolls the table back to a version of its log: one new commit whose files (and schema and
   * properties) are that version's, Delta's RESTORE; the versions in between stay in the history.
   * Returns the version of that commit, found in the log, since another writer may have committed
   * after it by the time the table's latest version is read.
   */
  public long restore(TableId t, long version) {
    long before = currentVersion(t);
    DeltaTable table = DeltaTable.forPath(lake.spark(), lake.location(t));
    table.restoreToVersion(version);
    return table
        .history()
        .where(
            col("version")
                .gt(before)
                .and(col("operation").equalTo("RESTORE"))
                .and(
                    col("operationParameters").getItem("version").equalTo(String.valueOf(version))))
        .agg(min("version"))
        .first()
        .getLong(0);
  }

  /** The table as it was at a version or timestamp ({@link #check}); now when null. */
  public Dataset<Row> read(TableId t, String asOf) {
    if (asOf == null) {
      return lake.read(t);
    }
    String a = check(asOf);
    return lake.spark()
        .read()
        .format("delta")
        .option(VERSION.matcher(a).matches() ? "versionAsOf" : "timestampAsOf", a)
        .load(lake.location(t));
  }

  /**
   * The query with every lake table it names read as of a version or timestamp: {@code gold.x}
   * becomes {@code gold.x VERSION AS OF 3} (a version applies to each table named).
   */
  public static String query(String query, String asOf) {
    if (asOf == null) {
      return query;
    }
    String a = check(asOf);
    String clause =
        VERSION.matcher(a).matches() ? " VERSION AS OF " + a : " TIMESTAMP AS OF '" + a + "'";
    return TableId.NAMED
        .matcher(query)
        .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group() + clause));
  }
}
