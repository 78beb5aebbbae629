package org.metalslake.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.metalslake.testing.SparkTest;

/**
 * The bookkeeping rows written and read in this process (Delta Kernel) are the rows Spark writes
 * and reads: nested arrays of structs, timestamps to the microsecond, nulls; the log's checkpoint
 * every 10 commits; the table's properties.
 */
class LogAppendsTest extends SparkTest {
  private static final StructType SCHEMA =
      StructType.fromDDL(
          "run_id STRING, started_at TIMESTAMP, status STRING, message STRING,"
              + " files ARRAY<STRUCT<file: STRING, records: BIGINT, share: DOUBLE>>");

  private static final TableId RUNS = new TableId(TableId.OPS, "runs_test");

  private Lake newLake() throws java.io.IOException {
    return new Lake(spark(), Files.createTempDirectory("log-appends").toString(), false);
  }

  private static Row run(int i, Timestamp at, List<Row> files) {
    return RowFactory.create("r" + i, at, "succeeded", i % 2 == 0 ? null : "note " + i, files);
  }

  @Test
  void rowsAppendedInThisProcessReadBackThroughSparkAndTheKernel() throws Exception {
    Lake lake = newLake();
    Timestamp at = Timestamp.valueOf("2026-12-02 19:20:05.123456");
    List<Row> files =
        List.of(RowFactory.create("a.csv", 3L, 0.25), RowFactory.create("b, \"c\".csv", 0L, null));

    // No table yet: nothing written in process (Spark creates it, with its documentation).
    assertFalse(lake.appends().append(lake.location(RUNS), SCHEMA, List.of(run(0, at, files))));
    lake.writes()
        .appendRows(
            List.of(run(0, at, files)),
            SCHEMA,
            RUNS,
            TableDoc.of("test runs").column("run_id", "id"));
    // Eleven more in process: past the checkpoint Delta takes at version 10.
    for (int i = 1; i <= 11; i++) {
      assertTrue(
          lake.appends()
              .append(lake.location(RUNS), SCHEMA, List.of(run(i, at, i == 5 ? List.of() : files))),
          "appended in process");
    }
    assertTrue(Files.exists(Path.of(lake.location(RUNS), "_delta_log", "_last_checkpoint")));

    List<Row> read =
        lake.read(RUNS)
            .selectExpr(
                "run_id",
                "cast(started_at as string)",
                "message",
                "size(files)",
                "get(files, 1).file",
                "get(files, 0).records",
                "get(files, 0).share",
                "get(files, 1).share")
            .orderBy("run_id")
            .collectAsList();
    assertEquals(12, read.size());
    for (Row r : read) {
      int i = Integer.parseInt(r.getString(0).substring(1));
      assertEquals("2026-12-02 19:20:05.123456", r.getString(1));
      assertEquals(i % 2 == 0 ? null : "note " + i, r.get(2));
      assertEquals(i == 5 ? 0 : 2, r.getInt(3));
      if (i != 5) {
        assertEquals("b, \"c\".csv", r.getString(4));
        assertEquals(3L, r.getLong(5));
        assertEquals(0.25, r.getDouble(6), 0.0);
        assertTrue(r.isNullAt(7));
      }
    }
    // The in-process reader sees the same rows; the table keeps its description.
    List<Object[]> small = lake.smallTableRows(RUNS, List.of("run_id", "started_at"));
    assertEquals(12, small.size());
    long micros = at.getTime() / 1000 * 1_000_000L + at.getNanos() / 1000;
    small.forEach(r -> assertEquals(micros, r[1]));
    assertEquals(
        "test runs",
        lake.spark()
            .sql("describe detail " + lake.pathIdentifier(RUNS))
            .select("description")
            .first()
            .getString(0));
    assertEquals(12, lake.spark().sql("describe history " + lake.pathIdentifier(RUNS)).count());
  }

  @Test
  void aColumnTheTableLacksGoesThroughSpark() throws Exception {
    Lake lake = newLake();
    StructType narrow = StructType.fromDDL("run_id STRING");
    lake.writes().appendRows(List.of(RowFactory.create("r0")), narrow, RUNS, null);
    StructType wider = StructType.fromDDL("run_id STRING, note STRING");
    assertFalse(
        lake.appends().append(lake.location(RUNS), wider, List.of(RowFactory.create("r1", "x"))));
    lake.writes().appendRows(List.of(RowFactory.create("r1", "x")), wider, RUNS, null);
    assertEquals(
        List.of("r0/null", "r1/x"),
        lake.read(RUNS).orderBy("run_id").collectAsList().stream()
            .map(r -> r.getString(0) + "/" + r.getString(1))
            .toList());
  }
}
