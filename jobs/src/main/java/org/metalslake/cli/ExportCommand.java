package org.metalslake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.storage.Export;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableId;
import org.metalslake.storage.TimeTravel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code export <table> --to PATH}: hand a table (or a past version of it) to others. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Write a table to one CSV file (safe to open in a spreadsheet) or to a Parquet folder.")
final class ExportCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "TABLE", description = "layer.table")
  String table;

  @Option(names = "--to", required = true, paramLabel = "PATH", description = "File or folder")
  String to;

  @Option(names = "--format", defaultValue = "csv", description = "csv or parquet")
  String format;

  @Option(
      names = "--as-of",
      paramLabel = "VERSION|TIMESTAMP",
      description = "The table as it was (time travel)")
  String asOf;

  @Option(names = "--force", description = "Replace PATH if it exists")
  boolean force;

  @Override
  public Integer call() {
    if (!format.matches("csv|parquet")) {
      throw new ParameterException(
          new picocli.CommandLine(this), "unknown --format '" + format + "': csv or parquet");
    }
    if (asOf != null) {
      try {
        TimeTravel.check(asOf);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(new picocli.CommandLine(this), e.getMessage());
      }
    }
    TableId id = TableId.parse(table);
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    Lake lake = new Lake(spark, settings);
    lake.requireExists(id);
    long rows = Export.write(lake.timeTravel().read(id, asOf), to, format, force);
    System.out.printf(java.util.Locale.ROOT, "%s: %,d rows → %s (%s)%n", id, rows, to, format);
    return 0;
  }
}
