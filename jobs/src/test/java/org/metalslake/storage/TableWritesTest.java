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
 * A table's first write cut off before its commit (the storage went away, the process was killed)
 * leaves the {@code _delta_log} folder Delta makes first, with no commit in it: no table, and the
 * next run's write creates it.
 */
class TableWritesTest extends SparkTest {
  @TempDir Path dir;

  private static final StructType SCHEMA = StructType.fromDDL("k STRING, v BIGINT");

  private Dataset<Row> rows(Object[]... rows) {
    return spark()
        .createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
  }

  @Test
  void aFirstWriteCutOffBeforeItsCommitIsDoneByTheNextWrite() throws Exception {
    Lake lake = new Lake(spark(), dir.toString(), false);
    TableDoc doc = TableDoc.of("a test table").column("k", "key");
    TableId overwritten = new TableId(TableId.SILVER, "overwritten");
    TableId merged = new TableId(TableId.SILVER, "merged");
    TableId appended = new TableId(TableId.OPS, "appended");
    for (TableId t : List.of(overwritten, merged, appended)) {
      // What an interrupted first write leaves: the log folder, no commit, no data.
      Files.createDirectories(Path.of(lake.location(t), "_delta_log", "_staged_commits"));
      assertFalse(lake.exists(t), t + " without a commit is no table");
    }

    lake.writes().overwrite(rows(new Object[] {"a", 1L}), overwritten, doc);
    lake.writes().merge(rows(new Object[] {"a", 1L}), merged, List.of("k"), doc);
    lake.writes().appendRows(List.of(RowFactory.create("a", 1L)), SCHEMA, appended, doc);
    for (TableId t : List.of(overwritten, merged, appended)) {
      assertTrue(lake.exists(t), t.qualified());
      assertEquals(
          List.of("[a,1]"),
          lake.read(t).collectAsList().stream().map(Row::toString).toList(),
          t.qualified());
      Row v0 = spark().sql("DESCRIBE HISTORY " + lake.pathIdentifier(t)).select("version").first();
      assertEquals(0L, v0.getLong(0), t + ": one commit, version 0");
      assertEquals(
          "a test table",
          spark().sql("DESCRIBE DETAIL " + lake.pathIdentifier(t)).first().getAs("description"));
    }
    // A second write goes into the table as usual.
    lake.writes().merge(rows(new Object[] {"b", 2L}), merged, List.of("k"), doc);
    assertEquals(2, lake.read(merged).count());
  }
}
