package org.metalslake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code history <table>}: the Delta commits of a table (versions for time travel). */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Show a table's Delta history (version, time, operation, metrics).")
final class HistoryCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "TABLE", description = "layer.table")
  String table;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json")
  String format;

  @Option(names = "--limit", defaultValue = "50")
  int limit;

  @Override
  public Integer call() {
    TableId id = TableId.parse(table);
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    Lake lake = new Lake(spark, settings);
    lake.requireExists(id);
    Output.print(
        io.delta.tables.DeltaTable.forPath(spark, lake.location(id))
            .history(limit)
            .select("version", "timestamp", "operation", "operationParameters", "operationMetrics"),
        format,
        limit,
        System.out);
    return 0;
  }
}
