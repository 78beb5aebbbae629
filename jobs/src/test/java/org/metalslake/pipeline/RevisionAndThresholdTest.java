package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.ops.Progress;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/** Revisions replace figures in silver and gold; bad files fail the run without committing. */
class RevisionAndThresholdTest extends SparkTest {
  @TempDir Path dir;

  static final String HEADER =
      "period,country,region,metal,stage,quantity,unit,basis,source,flag\n";

  private Pipeline pipeline(Map<String, String> more) {
    Map<String, String> m = new java.util.HashMap<>(more);
    m.put(Settings.LAKE_ROOT, dir.resolve("lake").toString());
    return new Pipeline(spark(), testSettings(m), new Progress());
  }

  private Path write(String folder, String name, String body) throws IOException {
    Path f = dir.resolve(folder).resolve("production").resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, body, StandardCharsets.UTF_8);
    return f;
  }

  private static double silverValue(Lake lake, String period) {
    List<Row> rows =
        lake.read(Tables.PRODUCTION)
            .filter(col("period").equalTo(period).and(col("country_iso3").equalTo("CHL")))
            .select("quantity_t")
            .collectAsList();
    assertEquals(1, rows.size());
    return rows.get(0).getDouble(0);
  }

  @Test
  void aLaterReleaseReplacesTheFigureAndBronzeKeepsBoth() throws IOException {
    Pipeline p = pipeline(Map.of());
    Path v1 =
        write(
            "in1",
            "chile-v1.csv",
            HEADER
                + "2023,Chile,,copper,mine,5000,kt,,survey,\n2024,Chile,,copper,mine,5200,kt,,survey,p\n");
    p.run("ingest", "ingest", List.of(v1.getParent().toString()), false);
    Lake lake = p.lake();
    assertEquals(5_200_000, silverValue(lake, "2024"), 1e-6);
    long silverVersion =
        DeltaTable.forPath(spark(), lake.location(Tables.PRODUCTION)).history(1).first().getLong(0);

    Path v2 =
        write(
            "in2",
            "chile-v2.csv",
            HEADER
                + "2023,Chile,,copper,mine,5000,kt,,survey,\n2024,Chile,,copper,mine,5300,kt,,survey,r\n");
    p.run("ingest", "ingest", List.of(v2.getParent().toString()), false);
    assertEquals(5_300_000, silverValue(lake, "2024"), 1e-6);
    assertEquals(5_000_000, silverValue(lake, "2023"), 1e-6);
    // bronze keeps both releases: 2 + 2 records
    assertEquals(4, lake.read(Tables.PRODUCTION_RAW).count());
    // time travel shows the old value
    double old =
        spark()
            .read()
            .format("delta")
            .option("versionAsOf", silverVersion)
            .load(lake.location(Tables.PRODUCTION))
            .filter(col("period").equalTo("2024"))
            .first()
            .<Double>getAs("quantity_t");
    assertEquals(5_200_000, old, 1e-6);
    // gold follows silver: 2024 vs 2023 = 5300 / 5000 − 1 = 6 %
    Row g =
        lake.read(Tables.PRODUCTION_GROWTH)
            .filter(col("period").equalTo("2024").and(col("country_iso3").equalTo("CHL")))
            .first();
    assertEquals(6.0, g.<Double>getAs("yoy_pct"), 1e-9);
  }

  @Test
  void aRunKilledBeforeGoldIsCompletedByTheNextRun() throws IOException {
    Pipeline p = pipeline(Map.of());
    Path f =
        write(
            "in",
            "chile.csv",
            HEADER
                + "2023,Chile,,copper,mine,5000,kt,,survey,\n2024,Chile,,copper,mine,5300,kt,,survey,\n");
    p.run("ingest", "ingest", List.of(f.getParent().toString()), false);
    Lake lake = p.lake();
    List<String> gold = lake.read(Tables.PRODUCTION_GROWTH).toJSON().collectAsList();
    // The state a kill between the silver merge and the gold rebuild leaves behind: silver
    // written, gold still at its previous (here: empty) content, the file not marked ingested.
    // (A table is created with its first rows, so "empty" is a delete, not version 0.)
    DeltaTable.forPath(spark(), lake.location(Tables.PRODUCTION_GROWTH)).delete();
    DeltaTable.forPath(spark(), lake.location(Tables.INGESTED_FILES)).delete();
    assertEquals(0, lake.read(Tables.PRODUCTION_GROWTH).count());

    Pipeline.Result r = p.run("ingest", "ingest", List.of(f.getParent().toString()), false);
    assertEquals("succeeded", r.status());
    List<String> after = lake.read(Tables.PRODUCTION_GROWTH).toJSON().collectAsList();
    assertEquals(new java.util.TreeSet<>(gold), new java.util.TreeSet<>(after));
    assertEquals(2, lake.read(Tables.PRODUCTION).count());
    assertEquals(2, lake.read(Tables.PRODUCTION_RAW).count());
  }

  @Test
  void tooManyBadRecordsFailTheRunAndCommitNothingToSilverOrGold() throws IOException {
    Pipeline p = pipeline(Map.of(Settings.MAX_QUARANTINE_SHARE, "0.5"));
    Path good = write("ok", "good.csv", HEADER + "2024,Chile,,copper,mine,5200,kt,,survey,\n");
    p.run("ingest", "ingest", List.of(good.getParent().toString()), false);
    Lake lake = p.lake();
    long silverBefore =
        DeltaTable.forPath(spark(), lake.location(Tables.PRODUCTION)).history(1).first().getLong(0);
    long goldBefore =
        DeltaTable.forPath(spark(), lake.location(Tables.PRODUCTION_GROWTH))
            .history(1)
            .first()
            .getLong(0);

    Path bad =
        write(
            "bad",
            "mostly-bad.csv",
            HEADER
                + "2024,Atlantis,,copper,mine,1,t,,survey,\n"
                + "2024,Chile,,copper,mine,abc,t,,survey,\n"
                + "2025-14,Chile,,copper,mine,1,t,,survey,\n"
                + "2025,Peru,,copper,mine,1,t,,survey,\n");
    PipelineException e =
        assertThrows(
            PipelineException.class,
            () -> p.run("ingest", "ingest", List.of(bad.getParent().toString()), false));
    assertTrue(e.getMessage().contains("mostly-bad.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("Nothing was committed"), e.getMessage());
    assertEquals(
        silverBefore,
        DeltaTable.forPath(spark(), lake.location(Tables.PRODUCTION))
            .history(1)
            .first()
            .getLong(0));
    assertEquals(
        goldBefore,
        DeltaTable.forPath(spark(), lake.location(Tables.PRODUCTION_GROWTH))
            .history(1)
            .first()
            .getLong(0));
    // the failed run is recorded, and the file is not marked ingested: a later run retries it
    Row run = lake.read(Tables.RUNS).orderBy(col("started_at").desc()).first();
    assertEquals("failed", run.getAs("status"));
    assertEquals(1, lake.read(Tables.INGESTED_FILES).count());
  }

  @Test
  void anUnknownHeaderIsRejectedWithTheFileAndTheFormatsAndTheOthersGoOn() throws IOException {
    Pipeline p = pipeline(Map.of());
    Path f = write("odd", "odd.csv", "when,where,how much\n2024,Chile,5\n");
    Path good =
        write("odd", "good.csv", HEADER + "2024,Chile,,copper,mine,5,kt,metal_content,s,\n");
    Pipeline.Result r = p.run("ingest", "ingest", List.of(f.getParent().toString()), false);
    assertEquals(Pipeline.PARTIAL, r.status());
    assertEquals(1, r.rejected().size());
    String m = r.rejected().get(0).reason();
    assertTrue(m.contains("odd.csv"), m);
    assertTrue(m.contains("generic-production"), m);
    assertTrue(m.contains("usgs-mcs-world"), m);
    // the other file is ingested
    assertEquals(1, r.files().size());
    assertTrue(r.files().get(0).file().endsWith(good.getFileName().toString()));
    Lake lake = p.lake();
    assertEquals(1L, lake.read(Tables.REJECTED_FILES).count());
    Row run = lake.read(Tables.RUNS).first();
    assertEquals("partial", run.getAs("status"));
    // strict: the same file fails the run, nothing committed
    Pipeline strict = pipeline(Map.of(Settings.ON_REJECTED_FILE, "fail"));
    PipelineException e =
        assertThrows(
            PipelineException.class,
            () -> strict.run("ingest", "ingest", List.of(f.toString()), false));
    assertTrue(e.getMessage().contains("odd.csv"), e.getMessage());
  }
}
