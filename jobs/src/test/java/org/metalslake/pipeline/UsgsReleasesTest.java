package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metalslake.config.Settings;
import org.metalslake.ops.Progress;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * Several USGS releases in one lake, as an analyst collects them: MCS2024 (per-commodity salient
 * and world files) with the MCS2025 combined world file first, then the older MCS2022. Silver and
 * gold keep the latest release of each figure, silver.vintages every release's. Expected figures
 * are the releases' own (typed in from the files, docs/usgs-releases.md), never the code's output.
 */
class UsgsReleasesTest extends SparkTest {
  private static Path dir;
  private static Lake lake;
  private static Pipeline.Result newer;
  private static Pipeline.Result older;

  private static final String REAL = "jobs/src/test/resources/real/usgs/";

  private static void copy(String from, Path to) throws IOException {
    File src = new File(projectDir(), from);
    File[] files =
        src.isDirectory() ? src.listFiles((d, n) -> n.endsWith(".csv")) : new File[] {src};
    Files.createDirectories(to);
    for (File f : files) {
      Files.copy(f.toPath(), to.resolve(f.getName()));
    }
  }

  @BeforeAll
  static void twoRunsNewerReleaseFirst() throws IOException {
    dir = Files.createTempDirectory("usgs-releases");
    copy(REAL + "mcs2024/salient", dir.resolve("in1/trade"));
    copy(REAL + "mcs2024/world", dir.resolve("in1/production"));
    copy("data/samples/production/MCS2025_World_Data.csv", dir.resolve("in1/production"));
    copy(REAL + "mcs2022/salient", dir.resolve("in2/trade"));
    copy(REAL + "mcs2022/world", dir.resolve("in2/production"));
    Pipeline p =
        new Pipeline(
            spark(),
            testSettings(Map.of(Settings.LAKE_ROOT, dir.resolve("lake").toString())),
            new Progress());
    newer = p.run("ingest", "ingest", List.of(dir.resolve("in1").toString()), false);
    older = p.run("ingest", "ingest", List.of(dir.resolve("in2").toString()), false);
    lake = p.lake();
  }

  @AfterAll
  static void cleanUp() throws IOException {
    org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
  }

  private static double one(Dataset<Row> rows, String column, String what) {
    List<Row> r = rows.select(column).collectAsList();
    assertEquals(1, r.size(), what + ": " + r);
    return ((Number) r.get(0).get(0)).doubleValue();
  }

  private static Dataset<Row> vintage(String release, Column where) {
    return lake.read(Tables.VINTAGES).filter(col("release").equalTo(release).and(where));
  }

  private static Column figure(String metal, String measure, String period) {
    return col("metal")
        .equalTo(metal)
        .and(col("measure").equalTo(measure))
        .and(col("period").equalTo(period));
  }

  @Test
  void everyFileOfEveryReleaseIsRecognisedFromItsHeader() {
    assertEquals("succeeded", newer.status(), "MCS2024 + MCS2025: " + newer.rejected());
    assertEquals("succeeded", older.status(), "MCS2022: " + older.rejected());
    Map<String, String> formats = new java.util.HashMap<>();
    for (Row r : lake.read(Tables.INGESTED_FILES).select("path", "format").collectAsList()) {
      formats.put(new File(r.getString(0)).getName(), r.getString(1));
    }
    // 10 salient + 10 world files of MCS2024, the MCS2025 world file, 6 + 5 of MCS2022.
    assertEquals(32, formats.size(), formats.toString());
    // A world table shipped under a salient name is read as the world table it is.
    assertEquals("usgs-mcs-world", formats.get("mcs2024-cobal_salient.csv"));
    assertEquals("usgs-salient", formats.get("mcs2024-alum_salient.csv"));
    assertEquals("usgs-mcs-world", formats.get("mcs2022-nicke_world.csv"));
    // Rows of commas only after the data are counted and skipped as blank rows, not lost.
    long blank =
        lake.read(Tables.QUARANTINE)
            .filter(
                col("_source_file")
                    .endsWith("mcs2024-nicke_world.csv")
                    .and(col("reason").equalTo("blank row")))
            .count();
    assertEquals(27, blank);
    // That world table under a salient name labels its years one early (2021, 2022 over the
    // world file's 2022, 2023 figures): it is found to repeat the world file and skipped, so
    // no year gets the next year's figures.
    Dataset<Row> copy =
        lake.read(Tables.QUARANTINE)
            .filter(col("_source_file").endsWith("mcs2024-cobal_salient.csv"));
    assertEquals(14, copy.select("_line").distinct().count());
    assertTrue(
        copy.first().<String>getAs("reason").startsWith("the file repeats mcs2024-cobal_world.csv"),
        copy.first().<String>getAs("reason"));
    assertEquals(
        0, vintage("MCS2024", figure("CO", "production", "2021")).count(), "MCS2024 has no 2021");
  }

  @Test
  void silverKeepsTheLatestReleaseAndVintagesKeepEvery() {
    // Copper's 2021 apparent consumption: 2 000 kt in MCS2022, 1 950 kt in MCS2024.
    Column cu2021 = figure("CU", "apparent_consumption", "2021");
    assertEquals(2_000_000, one(vintage("MCS2022", cu2021), "value", "MCS2022"), 1e-6);
    assertEquals(1_950_000, one(vintage("MCS2024", cu2021), "value", "MCS2024"), 1e-6);
    // MCS2022 was loaded after MCS2024 and does not replace it.
    Dataset<Row> silver = lake.read(Tables.PUBLISHED_BALANCE).filter(cu2021);
    assertEquals(1_950_000, one(silver, "value", "silver"), 1e-6);
    assertEquals("MCS2024", silver.select("release").first().getString(0));
    // A year only the older release has comes in from it: 2017, 1 860 kt.
    Dataset<Row> y2017 =
        lake.read(Tables.PUBLISHED_BALANCE).filter(figure("CU", "apparent_consumption", "2017"));
    assertEquals(1_860_000, one(y2017, "value", "2017"), 1e-6);
    // The NIR of 2021: 45 in both.
    assertEquals(45, one(vintage("MCS2022", figure("CU", "nir", "2021")), "value", "nir"), 1e-9);
    assertEquals(45, one(vintage("MCS2024", figure("CU", "nir", "2021")), "value", "nir"), 1e-9);
  }

  @Test
  void congoCobaltShareOfEachReleaseAndGoldOnTheLatest() {
    // MCS2024, per-commodity world file: 2023e Congo (Kinshasa) 170 000 t of a 230 000 t World
    // total (rounded) = 73.9 % (T5 publishes 74).
    Column co2023 = figure("CO", "production", "2023").and(col("stage").equalTo("mine"));
    double cod =
        one(vintage("MCS2024", co2023.and(col("country_iso3").equalTo("COD"))), "value", "COD");
    double world =
        one(vintage("MCS2024", co2023.and(col("country_iso3").equalTo("WLD"))), "value", "WLD");
    assertEquals(170_000, cod, 1e-6);
    assertEquals(230_000, world, 1e-6);
    assertEquals(73.9, cod / world * 100, 0.05);
    // Gold uses the latest release of 2023: MCS2025's 175 000 of 238 000 (73.5 %).
    Dataset<Row> gold =
        lake.read(Tables.SUPPLY_CONCENTRATION)
            .filter(
                col("metal")
                    .equalTo("CO")
                    .and(col("stage").equalTo("mine"))
                    .and(col("year").equalTo(2023))
                    .and(col("country_iso3").equalTo("COD")));
    assertEquals(
        175_000 / 238_000.0 * 100, one(gold, "share_of_published_world_pct", "gold"), 1e-9);
    // The speech's "70 %": every release gives 68-76 % of its published world total.
    double[][] published = {
      // release year, Congo, World total (rounded), as printed
      {2022, 2020, 98_000, 142_000},
      {2022, 2021, 120_000, 170_000},
      {2024, 2022, 144_000, 197_000},
      {2024, 2023, 170_000, 230_000},
      {2025, 2023, 175_000, 238_000},
      {2025, 2024, 220_000, 290_000},
    };
    for (double[] p : published) {
      String release = "MCS" + (int) p[0];
      Column year = figure("CO", "production", String.valueOf((int) p[1]));
      double c = one(vintage(release, year.and(col("country_iso3").equalTo("COD"))), "value", "c");
      double w = one(vintage(release, year.and(col("country_iso3").equalTo("WLD"))), "value", "w");
      assertEquals(p[2], c, 1e-6, release + " " + (int) p[1]);
      assertEquals(p[3], w, 1e-6, release + " " + (int) p[1]);
      assertTrue(c / w * 100 >= 68 && c / w * 100 <= 76, release + " " + c / w);
    }
  }

  @Test
  void capacityAndUnitsFromTheColumnNames() {
    // mcs2024-alumi_world.csv: Cap_kt_est_2023, world 79 000 kt, China 45 000 kt.
    Column cap = figure("AL", "capacity", "2023");
    assertEquals(
        79_000_000,
        one(vintage("MCS2024", cap.and(col("country_iso3").equalTo("WLD"))), "value", "w"),
        1e-6);
    assertEquals(
        45_000_000,
        one(vintage("MCS2024", cap.and(col("country_iso3").equalTo("CHN"))), "value", "c"),
        1e-6);
    // Prod_kt_Est_2021 (MCS2022 copper): Chile's mine output 5 600 kt, estimated.
    Dataset<Row> chile =
        vintage(
            "MCS2022",
            figure("CU", "production", "2021")
                .and(col("stage").equalTo("mine"))
                .and(col("country_iso3").equalTo("CHL")));
    assertEquals(5_600_000, one(chile, "value", "Chile"), 1e-6);
    assertEquals("e", chile.select("flags").first().getString(0));
  }

  @Test
  void chinasCopperRawMaterialSelfSufficiency() {
    // MCS2025_World_Data.csv 2024e: China's mine output 1 800 kt against its refineries'
    // 12 000 kt = 15 % (the speech's "below 20 %").
    Dataset<Row> chn =
        lake.read(Tables.SUPPLY_BALANCE)
            .filter(
                col("country_iso3")
                    .equalTo("CHN")
                    .and(col("metal").equalTo("CU"))
                    .and(col("stage").equalTo("refinery"))
                    .and(col("period").equalTo("2024")));
    assertEquals(1_800_000, one(chn, "mine_production_t", "mine"), 1e-6);
    assertEquals(12_000_000, one(chn, "production_t", "refinery"), 1e-6);
    assertEquals(
        1_800.0 / 12_000 * 100, one(chn, "raw_material_self_sufficiency_pct", "ratio"), 1e-9);
  }
}
