package org.metalslake.storage;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;

/**
 * Table upkeep: small files compacted (OPTIMIZE) and files no kept version needs deleted (VACUUM).
 */
public final class Maintenance {
  private final Lake lake;

  Maintenance(Lake lake) {
    this.lake = lake;
  }

  /** What {@link #run} did to one table. */
  public record Done(long filesCompacted, long filesWritten, long filesVacuumed) {}

  /**
   * Compacts the table's small files (OPTIMIZE) and deletes the files no version of the last {@code
   * retainHours} needs (VACUUM); the caller guards the retention.
   */
  public Done run(TableId t, double retainHours) {
    DeltaTable table = DeltaTable.forPath(lake.spark(), lake.location(t));
    Row metrics = table.optimize().executeCompaction().select("metrics.*").first();
    long removed = metrics.<Long>getAs("numFilesRemoved");
    long added = metrics.<Long>getAs("numFilesAdded");
    long before = dataFiles(t);
    String vacuum = "VACUUM " + lake.pathIdentifier(t) + " RETAIN " + retainHours + " HOURS";
    // VACUUM prints "Deleted N files …" on the console: to stderr, so stdout keeps just the
    // command's own output (a CSV a script reads).
    scala.Console.withOut(System.err, () -> lake.spark().sql(vacuum));
    return new Done(removed, added, before - dataFiles(t));
  }

  /** Data files under a table's folder (the transaction log not counted). */
  private long dataFiles(TableId t) {
    try {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(lake.location(t));
      org.apache.hadoop.fs.FileSystem fs =
          dir.getFileSystem(lake.spark().sparkContext().hadoopConfiguration());
      var it = fs.listFiles(dir, true);
      long n = 0;
      while (it.hasNext()) {
        String p = it.next().getPath().toString();
        if (!p.contains("/_delta_log/") && p.endsWith(".parquet")) {
          n++;
        }
      }
      return n;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
