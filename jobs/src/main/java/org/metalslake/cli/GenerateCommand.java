package org.metalslake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.generate.SyntheticProduction;
import org.metalslake.generate.SyntheticTrade;
import org.metalslake.ref.RefData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code generate production|trade --rows N --out DIR}: synthetic inputs for scale tests. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Write synthetic input files of N rows (for benchmarks) to OUT/<dataset>/.")
final class GenerateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(
      index = "0",
      paramLabel = "DATASET",
      description =
          "production (generic long format) or trade (Comtrade+ bulk CSV, monthly, by HS code)")
  String dataset;

  @Option(names = "--rows", defaultValue = "1000000", description = "Rows to write")
  long rows;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Landing folder")
  String out;

  @Option(names = "--files", defaultValue = "4", description = "Number of files")
  int files;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Override
  public Integer call() {
    if (!dataset.equals("production") && !dataset.equals("trade")) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "generate knows the datasets 'production' and 'trade', not '" + dataset + "'");
    }
    if (rows <= 0 || files <= 0) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--rows and --files must be positive");
    }
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    RefData ref = RefData.load(spark, settings.refDir());
    Dataset<Row> df =
        dataset.equals("trade")
            ? SyntheticTrade.generate(spark, ref, settings.refDir(), rows, seed)
            : SyntheticProduction.generate(spark, ref, rows, seed);
    String target = out + "/" + dataset;
    df.repartition(files)
        .write()
        .mode("overwrite")
        .option("header", "true")
        .option("escape", "\"") // RFC 4180: a quote inside a quoted field is doubled
        .option("emptyValue", "")
        .csv(target);
    System.out.println("wrote " + rows + " synthetic " + dataset + " rows to " + target);
    return 0;
  }
}
