package org.metalslake.cli;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Tables;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code status [--run ID | --last]}: what a run did, from ops.runs, with the run's own exit code.
 * In YARN and Kubernetes cluster mode spark-submit does not pass the driver's exit code on; a
 * scheduler runs this after it (locally, on the same lake) to learn it: 0, 1, 65 or 75.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show a run's outcome from ops.runs and exit with its code (0 succeeded or nothing new,"
            + " 65 files rejected, 75 another run at the same time: retry, 1 failed or not"
            + " logged).")
final class StatusCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @ArgGroup(exclusive = true)
  Which which = new Which();

  static final class Which {
    @Option(
        names = "--run",
        paramLabel = "ID",
        description = "The run with this id (its latest attempt, when a retry used the same id)")
    String runId;

    @Option(names = "--last", description = "The latest run or ingest (the default)")
    boolean last;
  }

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json (the ops.runs row)")
  String format;

  @Override
  public Integer call() {
    if (!List.of("text", "json").contains(format)) {
      throw new IllegalArgumentException("--format " + format + ": expected text or json");
    }
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    Lake lake = new Lake(spark, settings);
    String what = which.runId == null ? "no run" : "no run '" + which.runId + "'";
    if (!lake.exists(Tables.RUNS)) {
      System.err.println(
          "metals-lake status: " + what + " in " + settings.lakeRoot() + " (it has no ops.runs)");
      return Main.EXIT_FAILED;
    }
    Dataset<Row> runs = lake.read(Tables.RUNS);
    runs =
        which.runId == null
            ? runs.filter(col("job").equalTo("run").or(col("job").startsWith("ingest")))
            : runs.filter(col("run_id").equalTo(which.runId));
    List<Row> found = runs.orderBy(col("ended_at").desc()).limit(1).collectAsList();
    if (found.isEmpty()) {
      System.err.println(
          "metals-lake status: "
              + what
              + " in ops.runs of "
              + settings.lakeRoot()
              + (which.runId == null
                  ? ""
                  : ": killed before it ended (a run is logged when it ends), still running, or"
                      + " another lake"));
      return Main.EXIT_FAILED;
    }
    Row run = found.get(0);
    String status = run.getAs("status");
    int code = Main.exitCode(status);
    if (format.equals("json")) {
      System.out.println(
          runs.filter(col("run_id").equalTo((String) run.getAs("run_id")))
              .orderBy(col("ended_at").desc())
              .limit(1)
              .toJSON()
              .first());
    } else {
      System.out.println(line(run, code));
    }
    return code;
  }

  /** One line: id, job, status, when, how long, the counts, the message, the exit code. */
  static String line(Row run, int code) {
    long records = 0;
    long toSilver = 0;
    long quarantined = 0;
    List<Row> files = run.getList(run.fieldIndex("files"));
    for (Row f : files) {
      records += f.<Long>getAs("records");
      toSilver += f.<Long>getAs("to_silver");
      quarantined += f.<Long>getAs("quarantined");
    }
    List<Row> rejected = run.getList(run.fieldIndex("rejected"));
    java.sql.Timestamp started = run.getAs("started_at");
    java.sql.Timestamp ended = run.getAs("ended_at");
    String message = run.getAs("message");
    return String.format(
        Locale.ROOT,
        "run %s (%s) %s, ended %s after %.1f s: %d files, %,d records (%,d to silver, %,d"
            + " quarantined), %d rejected files%s; exit %d",
        run.<String>getAs("run_id"),
        run.<String>getAs("job"),
        run.<String>getAs("status").replace('_', ' '),
        ended,
        (ended.getTime() - started.getTime()) / 1000.0,
        files.size(),
        records,
        toSilver,
        quarantined,
        rejected.size(),
        message == null ? "" : " — " + message.lines().findFirst().orElse(""),
        code);
  }
}
