package org.metalslake.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.storage.Lake;
import org.metalslake.storage.LakeDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code compare}: two lakes' tables row for row; exits 1 when any differs. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description =
        "Compare the tables of two lakes row for row (lineage columns not compared, doubles to 11"
            + " significant digits); exits 1 when any table differs.")
final class CompareCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "LAKE_A")
  String first;

  @Parameters(index = "1", paramLabel = "LAKE_B")
  String second;

  @Option(
      names = "--layers",
      split = ",",
      paramLabel = "LAYER",
      description = "Layers to compare (default: gold)")
  List<String> layers = List.of("gold");

  @Override
  public Integer call() {
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    List<LakeDiff.Result> results =
        LakeDiff.compare(new Lake(spark, first, false), new Lake(spark, second, false), layers);
    System.out.printf(
        Locale.ROOT,
        "%-34s %12s %12s %10s %10s  %s%n",
        "table",
        "rows A",
        "rows B",
        "only in A",
        "only in B",
        "");
    boolean allEqual = true;
    for (LakeDiff.Result r : results) {
      allEqual &= r.equal();
      System.out.printf(
          Locale.ROOT,
          "%-34s %,12d %,12d %,10d %,10d  %s%n",
          r.table(),
          r.rowsA(),
          r.rowsB(),
          r.onlyInA(),
          r.onlyInB(),
          r.note() != null
              ? r.note()
              : !r.equal()
                  ? "DIFFERENT"
                  : r.withinTolerance() == 0
                      ? "equal"
                      : String.format(
                          Locale.ROOT,
                          "equal (%,d rows to %.0e relative)",
                          r.withinTolerance(),
                          LakeDiff.TOLERANCE));
    }
    System.out.println(
        results.isEmpty()
            ? "no tables to compare"
            : allEqual ? "all " + results.size() + " tables equal" : "tables differ");
    return allEqual && !results.isEmpty() ? 0 : 1;
  }
}
