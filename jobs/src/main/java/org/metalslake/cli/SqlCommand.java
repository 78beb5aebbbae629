package org.metalslake.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.metalslake.config.Settings;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TimeTravel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sql "<query>"}: query the lake's tables by name. Read-only unless {@code --allow-writes}:
 * a statement that could change the lake is refused before anything runs ({@link ReadOnlySql}).
 */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description =
        "Run a Spark SQL query on the lake (tables by name, e.g. gold.production_growth)."
            + " Read-only: SELECT, SHOW, DESCRIBE and EXPLAIN run; anything that could change"
            + " the lake (INSERT, DELETE, MERGE, CREATE, DROP, ALTER, RESTORE, VACUUM…) needs"
            + " --allow-writes.")
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

  @Option(
      names = "--allow-writes",
      description =
          "Also run statements that change the lake or the session (DML, DDL, Delta commands)")
  boolean allowWrites;

  @Override
  public Integer call() {
    Output.checkFormat(this, format);
    Settings settings = common.settings();
    String q;
    try {
      q = TimeTravel.query(query, asOf);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), e.getMessage());
    }
    SparkSession spark = Sessions.get(settings);
    // The statement that runs is parsed first, by the session's own parser (Delta's statements
    // included): a syntax error or a refused statement stops here, before any table is registered.
    LogicalPlan plan;
    try {
      plan =
          ((org.apache.spark.sql.classic.SparkSession) spark)
              .sessionState()
              .sqlParser()
              .parsePlan(q);
    } catch (ParseException e) {
      System.err.println("metals-lake sql: " + firstLine(e.getMessage()));
      return Main.EXIT_USAGE;
    }
    Optional<ReadOnlySql.Refusal> refusal = ReadOnlySql.check(plan);
    if (refusal.isPresent() && !allowWrites) {
      System.err.println("metals-lake sql: " + refusal.get().message());
      return Main.EXIT_USAGE;
    }
    new Lake(spark, settings).catalog().registerReferenced(query);
    Output.print(spark.sql(q), format, limit, System.out);
    return 0;
  }

  /** The first non-blank line of a parser message (the rest points at the position). */
  private static String firstLine(String message) {
    return message.strip().lines().findFirst().orElse(message);
  }
}
