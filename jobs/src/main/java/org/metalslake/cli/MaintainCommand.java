package org.metalslake.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.metalslake.config.Settings;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Maintenance;
import org.metalslake.storage.TableId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code maintain}: compact small files (OPTIMIZE) and remove unreferenced ones (VACUUM). */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description =
        "OPTIMIZE (compact small files) and VACUUM (delete files no version within the retention"
            + " needs) on the tables named (a layer such as gold, or gold.price_trends), or on"
            + " every table of the lake.")
final class MaintainCommand implements Callable<Integer> {
  /** Delta's own default: time travel and readers of older versions keep working for a week. */
  static final double MIN_RETAIN_HOURS = 168;

  @Mixin CommonOptions common;

  @Option(
      names = "--retain-hours",
      defaultValue = "168",
      description = "Keep files needed by versions of the last N hours (default 168 = 7 days)")
  double retainHours;

  @Option(
      names = "--force",
      description = "Allow --retain-hours below 168 (breaks time travel and running readers)")
  boolean force;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json")
  String format;

  @Parameters(
      arity = "0..*",
      paramLabel = "TABLE|LAYER",
      description = "Tables (gold.price_trends) or layers (gold); all tables when none is given")
  List<String> only = new ArrayList<>();

  @Override
  public Integer call() {
    if (retainHours < 0) {
      throw new ParameterException(
          new picocli.CommandLine(this), "--retain-hours must not be negative");
    }
    if (retainHours < MIN_RETAIN_HOURS && !force) {
      throw new ParameterException(
          new picocli.CommandLine(this),
          "refusing to vacuum with --retain-hours "
              + retainHours
              + " (below 168): versions younger than that could lose their files, breaking"
              + " time travel and readers still on them; add --force if you mean it");
    }
    Output.checkFormat(this, format);
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    Lake lake = new Lake(spark, settings);
    // The tables first: a name that is not in the lake stops the command before any setting of
    // the session is changed.
    List<TableId> tables = lake.catalog().list();
    if (!only.isEmpty()) {
      for (String name : only) {
        if (tables.stream().noneMatch(t -> matches(t, name))) {
          throw new ParameterException(
              new picocli.CommandLine(this), "no table or layer '" + name + "' in the lake");
        }
      }
      tables = tables.stream().filter(t -> only.stream().anyMatch(n -> matches(t, n))).toList();
    }
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    if (force) {
      spark.conf().set(check, "false");
    }
    // VACUUM lists a table's files in as many tasks as this says (10 000 by default, meant for
    // tables of millions of files); a few per core is plenty here and far quicker.
    String listing = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
    String listingBefore = spark.conf().get(listing, null);
    if (listingBefore == null) {
      spark.conf().set(listing, String.valueOf(4 * spark.sparkContext().defaultParallelism()));
    }
    List<Row> out = new ArrayList<>();
    try {
      for (TableId t : tables) {
        Maintenance.Done m = lake.maintenance().run(t, retainHours);
        out.add(
            RowFactory.create(
                t.qualified(),
                m.filesCompacted(),
                m.filesWritten(),
                m.filesVacuumed(),
                retainHours));
      }
    } finally {
      spark.conf().unset(check);
      if (listingBefore == null) {
        spark.conf().unset(listing);
      }
    }
    Output.print(
        spark.createDataFrame(
            out,
            StructType.fromDDL(
                "table STRING, files_compacted BIGINT, files_written BIGINT,"
                    + " files_vacuumed BIGINT, retain_hours DOUBLE")),
        format,
        10_000,
        System.out);
    return 0;
  }

  private static boolean matches(TableId t, String name) {
    String n = name.trim().toLowerCase(java.util.Locale.ROOT);
    return n.equals(t.layer()) || n.equals(t.qualified());
  }
}
