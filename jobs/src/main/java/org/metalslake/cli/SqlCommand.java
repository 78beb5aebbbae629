package org.metalslake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TimeTravel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sql "<query>"}: query the lake's tables by name. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description =
        "Run a Spark SQL query on the lake (tables by name, e.g. gold.production_growth).")
final class SqlCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "QUERY")
  String query;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json")
  String format;

  @Option(names = "--limit", defaultValue = "1000", description = "Rows to print at most")
  int limit;

  @Option(
      names = "--as-of",
      paramLabel = "VERSION|TIMESTAMP",
      description = "Read the tables as they were (time travel): a version or a timestamp")
  String asOf;

  @Override
  public Integer call() {
    Output.checkFormat(this, format);
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    String q;
    try {
      q = TimeTravel.query(query, asOf);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), e.getMessage());
    }
    new Lake(spark, settings).catalog().registerReferenced(query);
    Output.print(spark.sql(q), format, limit, System.out);
    return 0;
  }
}
