package org.metalslake.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.ingest.LandedFile;
import org.metalslake.ops.RejectedFiles;
import org.metalslake.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code validate FILE…}: reads and conforms files as a run would and writes nothing: per file its
 * format, records, facts and quarantined records with the reasons and their counts; files a run
 * would reject, with the reason. Duplicates across files and revisions of stored figures need the
 * lake, so they are a run's to find.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Read and conform files without writing anything: per file the records, facts and"
            + " quarantine reasons with counts (exit 65 when a file would be rejected).")
final class ValidateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders")
  List<String> paths;

  @Option(names = "--top", defaultValue = "10", description = "Reasons shown per file (default 10)")
  int top;

  @Override
  public Integer call() {
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    Pipeline.Conformed read = Pipeline.conformFiles(spark, settings, paths);
    Map<String, Long> records = new LinkedHashMap<>();
    for (Dataset<Row> b : read.bronze().values()) {
      for (Row r : b.groupBy("_file_id").count().collectAsList()) {
        records.merge(r.getString(0), r.getLong(1), Long::sum);
      }
    }
    List<Dataset<Row>> outcomes = new ArrayList<>();
    for (Dataset<Row> f : read.facts().values()) {
      outcomes.add(
          f.select(
              col("_file_id"),
              col("_reason"),
              when(col("_reason").isNull(), lit(null)).otherwise(col("_severity")).as("severity")));
    }
    Map<String, List<Row>> byFile = new LinkedHashMap<>();
    if (!outcomes.isEmpty()) {
      Dataset<Row> all = outcomes.get(0);
      for (Dataset<Row> d : outcomes.subList(1, outcomes.size())) {
        all = all.unionByName(d);
      }
      for (Row r :
          all.groupBy("_file_id", "_reason", "severity")
              .agg(count(lit(1)).as("n"))
              .orderBy(col("n").desc(), col("_reason"))
              .collectAsList()) {
        byFile.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
      }
    }
    for (LandedFile f : read.files()) {
      List<Row> rows = byFile.getOrDefault(f.fileId(), List.of());
      long facts = 0;
      long quarantined = 0;
      for (Row r : rows) {
        if (r.isNullAt(1)) {
          facts += r.getLong(3);
        } else {
          quarantined += r.getLong(3);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%s (%s): %,d records, %,d facts, %,d quarantined%n",
          f.path(),
          f.format().name(),
          records.getOrDefault(f.fileId(), 0L),
          facts,
          quarantined);
      int shown = 0;
      for (Row r : rows) {
        if (r.isNullAt(1)) {
          continue;
        }
        if (shown++ == top) {
          System.out.printf(Locale.ROOT, "  … (--top %d shows more)%n", top * 10);
          break;
        }
        System.out.printf(
            Locale.ROOT, "  %,8d  %-5s  %s%n", r.getLong(3), r.getString(2), r.getString(1));
      }
    }
    List<String> why = RejectedFiles.consoleReasons(read.rejected());
    for (int i = 0; i < why.size(); i++) {
      System.out.println(read.rejected().get(i).path() + ": rejected: " + why.get(i));
    }
    System.out.printf(
        Locale.ROOT,
        "%d files read, %d would be rejected; nothing written%n",
        read.files().size(),
        read.rejected().size());
    return read.rejected().isEmpty() ? 0 : Main.EXIT_REJECTED;
  }
}
