package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * The supply balance computed from the USGS MCS 2025 salient files, as released, against the net
 * import reliance USGS publishes (SPEC §6: within ±1 percentage point, USGS rounds its inputs). The
 * expected figures are typed in from the release (the NIR column of each file), not taken from the
 * code.
 */
class UsgsNetImportRelianceTest extends SparkTest {
  /** Published NIR, percent, 2020–2024, and the balance (metal, stage) it belongs to. */
  static final Map<String, int[]> PUBLISHED = new LinkedHashMap<>();

  static {
    PUBLISHED.put("CU/refinery", new int[] {38, 44, 41, 41, 45});
    PUBLISHED.put("AL/primary", new int[] {38, 40, 52, 44, 47});
    PUBLISHED.put("CO/refinery", new int[] {76, 73, 73, 69, 76});
    PUBLISHED.put("ZN/refinery", new int[] {79, 76, 77, 76, 73});
    PUBLISHED.put("PB/refinery", new int[] {25, 36, 38, 33, 28});
    PUBLISHED.put("SN/refinery", new int[] {77, 80, 77, 73, 73});
    // Nickel: USGS's NIR_ct counts nickel in stainless and alloy scrap (docs/usgs-salient.md).
    PUBLISHED.put("NI/primary", new int[] {46, 49, 55, 53, 48});
  }

  private static Dataset<Row> balance;

  @BeforeAll
  static void computeBalance() {
    RefData ref = RefData.load(spark(), "");
    String dir = new java.io.File(projectDir(), "data/samples/trade/usgs-salient").getPath();
    org.metalslake.pipeline.Pipeline.Conformed read =
        org.metalslake.pipeline.Pipeline.conformFiles(
            spark(), testSettings(Map.of()), List.of(dir), ref);
    assertEquals(13, read.files().size(), "the 13 salient files: " + read.rejected());
    read.files().forEach(f -> assertEquals("usgs-salient", f.format().name(), f.path()));
    // As the pipeline does: one conform over the files' records, facts materialised as silver.
    Map<TableId, Dataset<Row>> facts = new LinkedHashMap<>();
    for (Map.Entry<TableId, Dataset<Row>> e : read.facts().entrySet()) {
      Dataset<Row> good = e.getValue().filter(col("_reason").isNull()).drop("record");
      facts.put(e.getKey(), spark().createDataFrame(good.collectAsList(), good.schema()));
    }
    balance =
        SupplyBalance.compute(
                facts.get(Tables.PRODUCTION),
                facts.get(Tables.TRADE_FLOWS),
                facts.get(Tables.STOCKS),
                facts.get(Tables.PUBLISHED_BALANCE),
                List.of("usgs_mcs_salient"))
            .filter(col("country_iso3").equalTo("USA"))
            .cache();
  }

  private static Row row(String metal, String stage, int year) {
    List<Row> rows =
        balance
            .filter(
                col("metal")
                    .equalTo(metal)
                    .and(col("stage").equalTo(stage))
                    .and(col("period").equalTo(String.valueOf(year))))
            .collectAsList();
    assertEquals(1, rows.size(), metal + "/" + stage + " " + year + ": one balance row");
    return rows.get(0);
  }

  @Test
  void importRelianceMatchesThePublishedNirWithinOnePoint() {
    StringBuilder misses = new StringBuilder();
    for (Map.Entry<String, int[]> e : PUBLISHED.entrySet()) {
      String[] ms = e.getKey().split("/");
      for (int i = 0; i < 5; i++) {
        int year = 2020 + i;
        Row r = row(ms[0], ms[1], year);
        Object computed = r.getAs("import_reliance_pct");
        assertNotNull(computed, e.getKey() + " " + year + ": no computed reliance");
        double diff = (Double) computed - e.getValue()[i];
        if (Math.abs(diff) > 1.0) {
          misses.append(
              String.format(
                  "%s %d: computed %.2f, published %d%n",
                  e.getKey(), year, (Double) computed, e.getValue()[i]));
        }
        // The published figure is kept beside the computed one.
        assertEquals(
            (double) e.getValue()[i], r.<Double>getAs("published_nir_pct"), 1e-9, e.getKey());
      }
    }
    assertEquals("", misses.toString(), "outside ±1 percentage point");
  }

  @Test
  void copperBalanceByHand() {
    // mcs2025-coppe_salient.csv, 2024 (kt): primary refined 850 + old scrap (post-consumer) 150;
    // refined imports 810, exports 60; year-end stocks 127 (2023) → 70 (2024): change −57.
    Row r = row("CU", "refinery", 2024);
    assertEquals((850 + 150) * 1000.0, r.<Double>getAs("production_t"), 1e-6);
    assertEquals(810_000.0, r.<Double>getAs("imports_t"), 1e-6);
    assertEquals(60_000.0, r.<Double>getAs("exports_t"), 1e-6);
    assertEquals((70 - 127) * 1000.0, r.<Double>getAs("stock_change_t"), 1e-6);
    double ac = (850 + 150 + 810 - 60 - (70 - 127)) * 1000.0; // 1 807 000 t
    assertEquals(ac, r.<Double>getAs("apparent_consumption_t"), 1e-6);
    assertEquals((810 - 60 + 57) * 1000.0 / ac * 100, r.<Double>getAs("import_reliance_pct"), 1e-9);
    assertEquals(1_800_000.0, r.<Double>getAs("published_apparent_consumption_t"), 1e-6);
  }

  @Test
  void zincOresAreANetExportWhereUsgsWritesE() {
    for (int year = 2020; year <= 2024; year++) {
      Row r = row("ZN", "mine", year);
      assertEquals("E", r.<String>getAs("published_nir_text"), "zinc ores " + year);
      assertNull(r.getAs("published_nir_pct"));
      assertEquals(Boolean.TRUE, r.<Boolean>getAs("net_exporter"), "zinc ores " + year);
      assertTrue(r.<Double>getAs("import_reliance_pct") < 0);
    }
    // 2024 by hand (kt): ores produced 750, imported 15, exported 580 → (15 − 580) / 185.
    assertEquals(
        (15.0 - 580) / (750 + 15 - 580) * 100,
        row("ZN", "mine", 2024).<Double>getAs("import_reliance_pct"),
        1e-9);
  }

  @Test
  void withheldProductionLeavesTheBalanceUnknownAndBoundsStayText() {
    // Bauxite: mine production W in every year, NIR published as the bound >75.
    Row r = row("AL", "mine", 2024);
    assertNull(r.getAs("production_t"));
    assertNull(r.getAs("apparent_consumption_t"));
    assertNull(r.getAs("import_reliance_pct"));
    assertEquals(">75", r.<String>getAs("published_nir_text"));
    assertNull(r.getAs("published_nir_pct"));
  }
}
