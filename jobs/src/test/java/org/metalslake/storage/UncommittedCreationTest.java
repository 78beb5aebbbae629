package org.metalslake.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.testing.SparkTest;

/**
 * A run killed while creating a table leaves its folder with files but no committed version: the
 * log folder (Delta makes it when the transaction starts) and data files written before the commit.
 * No reader sees such a table, and the next run's write creates it.
 */
class UncommittedCreationTest extends SparkTest {
  @TempDir Path dir;

  private static final TableDoc DOC =
      TableDoc.of("Growth per country's metal").column("value_t", "Tonnes");

  private Dataset<Row> rows(Object[]... rows) {
    return spark()
        .createDataFrame(
            java.util.Arrays.stream(rows).map(RowFactory::create).toList(),
            StructType.fromDDL("country STRING, year INT, value_t DOUBLE"));
  }

  /** The folder a creation killed before its commit leaves: a log folder, a data file. */
  private static void leftover(Lake lake, TableId t) throws Exception {
    Path table = Path.of(lake.location(t).replaceFirst("^file:", ""));
    Files.createDirectories(table.resolve("_delta_log/_staged_commits"));
    Files.writeString(table.resolve("part-00000-killed.snappy.parquet"), "half a file");
    Files.writeString(table.resolve("_delta_log/.00000000000000000000.json.tmp"), "{\"add\"");
  }

  @Test
  void aCreationThatNeverCommittedIsCreatedByTheNextWrite() throws Exception {
    Lake lake = new Lake(spark(), dir.toString(), false);
    TableId bronze = new TableId(TableId.BRONZE, "killed_raw");
    TableId gold = new TableId(TableId.GOLD, "killed_growth");
    leftover(lake, bronze);
    leftover(lake, gold);
    assertFalse(lake.exists(bronze));
    assertFalse(lake.exists(gold));

    lake.writes()
        .replaceWhere(rows(new Object[] {"CHL", 2024, 5.5e6}), bronze, "country = 'CHL'", DOC);
    assertEquals(
        List.of("CHL 2024 5500000.0"),
        lake.read(bronze).collectAsList().stream()
            .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2))
            .toList());

    long n =
        lake.writes()
            .sync(
                rows(new Object[] {"CHL", 2024, 5.5e6}, new Object[] {"PER", 2024, 2.6e6}),
                gold,
                List.of("country", "year"),
                DOC,
                List.of("year"));
    assertTrue(n == 2 || n == -1, "rows written or unknown: " + n);
    assertEquals(2, lake.read(gold).count());
    // As a table created in one commit: its comment, its columns' comments, the change feed on,
    // partitioned by year.
    Row detail =
        spark()
            .sql("describe detail " + lake.pathIdentifier(gold))
            .select("description", "partitionColumns", "properties")
            .first();
    assertEquals(DOC.comment(), detail.getString(0));
    assertEquals(List.of("year"), detail.getList(1));
    assertEquals("true", detail.getJavaMap(2).get(TableWrites.CHANGE_FEED));
    assertEquals(
        "Tonnes", lake.read(gold).schema().apply("value_t").getComment().getOrElse(() -> null));

    // Written again: an existing table, merged as usual.
    lake.writes()
        .sync(
            rows(new Object[] {"CHL", 2024, 5.6e6}, new Object[] {"PER", 2024, 2.6e6}),
            gold,
            List.of("country", "year"),
            DOC,
            List.of("year"));
    assertEquals(
        5.6e6,
        lake.read(gold).filter("country = 'CHL'").first().getDouble(2),
        1e-6,
        "the revised value");
  }
}
