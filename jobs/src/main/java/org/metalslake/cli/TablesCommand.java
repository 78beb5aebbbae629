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
import org.metalslake.storage.TableId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tables}: the lake's tables with their row counts and locations. */
@Command(name = "tables", mixinStandardHelpOptions = true, description = "List the lake's tables.")
final class TablesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    Lake lake = new Lake(spark, settings);
    List<Row> rows = new ArrayList<>();
    for (TableId t : lake.catalog().registerAll()) {
      rows.add(RowFactory.create(t.qualified(), lake.read(t).count(), lake.location(t)));
    }
    if (rows.isEmpty()) {
      System.out.println("no tables under " + lake.root() + " yet: run `metals-lake run` first");
      return 0;
    }
    Output.print(
        spark.createDataFrame(
            rows, StructType.fromDDL("table STRING, rows BIGINT, location STRING")),
        "table",
        10_000,
        System.out);
    return 0;
  }
}
