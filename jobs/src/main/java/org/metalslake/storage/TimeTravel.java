package org.metalslake.storage;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
    String a = asOf.trim();
    if (!VERSION.matcher(a).matches() && !TIMESTAMP.matcher(a).matches()) {
      throw new IllegalArgumentException(
          "--as-of must be a table version (3) or a timestamp (2026-11-29 or 2026-11-29 10:15:00),"
              + " not '"
              + asOf
              + "'");
    }
    return a.replace('T', ' ');
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
