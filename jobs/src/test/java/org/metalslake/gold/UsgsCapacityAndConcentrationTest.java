package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metalslake.ref.RefData;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * Capacity utilisation and supply concentration from the USGS MCS 2025 world data file as released
 * (bundled unmodified in data/samples/production), against figures USGS publishes and hand
 * calculations from the file's own numbers, typed in below.
 */
class UsgsCapacityAndConcentrationTest extends SparkTest {
  private static Dataset<Row> production;
  private static Dataset<Row> capacity;
  private static Dataset<Row> utilisation;
  private static Dataset<Row> concentration;

  @BeforeAll
  static void readWorldFile() {
    RefData ref = RefData.load(spark(), "");
    String dir = new java.io.File(projectDir(), "data/samples/production").getPath();
    String world = new java.io.File(dir, "MCS2025_World_Data.csv").getPath();
    Map<org.metalslake.storage.TableId, Dataset<Row>> out =
        org.metalslake.pipeline.Pipeline.conformFiles(
                spark(), testSettings(Map.of()), List.of(world), ref)
            .facts();
    // Materialised: the transforms below read them several times.
    production = good(out.get(Tables.PRODUCTION));
    capacity = good(out.get(Tables.COUNTRY_CAPACITY));
    utilisation =
        materialise(
            CapacityUtilisation.compute(
                null, capacity, production, null, List.of(), List.of(), 1.0));
    concentration = materialise(SupplyConcentration.compute(production, null, null, null));
  }

  private static Dataset<Row> good(Dataset<Row> facts) {
    return materialise(facts.filter(col("_reason").isNull()));
  }

  private static Dataset<Row> materialise(Dataset<Row> df) {
    return spark().createDataFrame(df.collectAsList(), df.schema());
  }

  private static Row one(Dataset<Row> df, String where) {
    List<Row> rows = df.filter(where).collectAsList();
    assertEquals(1, rows.size(), "rows where " + where);
    return rows.get(0);
  }

  @Test
  void capacityColumnsBecomeCountryCapacity() {
    // Aluminum, China: CAP_2023 44400, CAP_EST_ 2024 44700 thousand metric tons.
    Row y2023 =
        one(
            capacity,
            "country_iso3 = 'CHN' AND metal = 'AL' AND stage = 'primary' AND year = 2023");
    assertEquals(44_400_000.0, y2023.getAs("capacity_t"), 1e-6);
    assertNull(y2023.getAs("flags"));
    Row y2024 =
        one(
            capacity,
            "country_iso3 = 'CHN' AND metal = 'AL' AND stage = 'primary' AND year = 2024");
    assertEquals(44_700_000.0, y2024.getAs("capacity_t"), 1e-6);
    assertEquals("e", y2024.getAs("flags"));
    // Aluminium rows: 12 countries + Other Countries + World total, two years each.
    assertEquals(28, capacity.filter("metal = 'AL'").count());
    // Capacity figures never leak into production.
    assertEquals(
        43_000_000.0,
        one(
                production,
                "country_iso3 = 'CHN' AND metal = 'AL' AND stage = 'primary' AND year = 2024")
            .<Double>getAs("quantity_t"),
        1e-6);
  }

  @Test
  void aluminiumUtilisationMatchesUsgs() {
    // China 2024: 43 000 / 44 700 = 96.197 % (the 96.2 %).
    Row chn = one(utilisation, "country_iso3 = 'CHN' AND metal = 'AL' AND year = 2024");
    assertEquals(43_000.0 / 44_700.0 * 100, chn.getAs("utilisation_pct"), 1e-9);
    assertEquals(96.2, chn.<Double>getAs("utilisation_pct"), 0.05);
    assertEquals(1_700_000.0, chn.getAs("idle_capacity_t"), 1e-6);
    assertEquals("usgs-mcs", chn.getAs("production_source"));
    assertEquals(CapacityUtilisation.COUNTRY, chn.getAs("capacity_method"));
    // World 2024, from USGS's World total row: 72 000 / 78 400 = 91.837 % (91.8 %).
    Row wld = one(utilisation, "country_iso3 = 'WLD' AND metal = 'AL' AND year = 2024");
    assertEquals(72_000.0 / 78_400.0 * 100, wld.getAs("utilisation_pct"), 1e-9);
    assertEquals(91.8, wld.<Double>getAs("utilisation_pct"), 0.05);
    assertEquals("world", wld.getAs("country_kind"));
    // India 2023: production equals capacity (4 100 / 4 100) = 100 %.
    Row ind = one(utilisation, "country_iso3 = 'IND' AND metal = 'AL' AND year = 2023");
    assertEquals(100.0, ind.getAs("utilisation_pct"), 1e-9);
    // Bahrain 2023: 1 620 produced on 1 600 of capacity: 101.25 %, not capped.
    Row bhr = one(utilisation, "country_iso3 = 'BHR' AND metal = 'AL' AND year = 2023");
    assertEquals(1_620.0 / 1_600.0 * 100, bhr.getAs("utilisation_pct"), 1e-9);
    // No balance given: no demand, no overcapacity verdict.
    assertNull(chn.getAs("demand_t"));
    assertNull(chn.getAs("overcapacity"));
  }

  /** Cobalt mine production 2024 as the file gives it, metric tons; Other Countries last. */
  static final Map<String, Double> COBALT_2024 = new LinkedHashMap<>();

  static {
    COBALT_2024.put("USA", 300.0); // typed "Mine production, estimated": same balance
    COBALT_2024.put("AUS", 3_600.0);
    COBALT_2024.put("CAN", 4_500.0);
    COBALT_2024.put("COD", 220_000.0);
    COBALT_2024.put("CUB", 3_500.0);
    COBALT_2024.put("IDN", 28_000.0);
    COBALT_2024.put("MDG", 2_600.0);
    COBALT_2024.put("NCL", 1_500.0);
    COBALT_2024.put("PNG", 2_800.0);
    COBALT_2024.put("PHL", 3_800.0);
    COBALT_2024.put("RUS", 8_700.0);
    COBALT_2024.put("TUR", 2_700.0);
  }

  static final double COBALT_OTHER_2024 = 6_200.0;
  static final double COBALT_WORLD_ROUNDED_2024 = 290_000.0;

  @Test
  void congoCobaltShareMatchesUsgs() {
    Row cod =
        one(
            concentration,
            "view = 'production' AND metal = 'CO' AND stage = 'mine' AND year = 2024"
                + " AND country_iso3 = 'COD'");
    // World total = named countries + Other Countries = 282 000 + 6 200 = 288 200 t,
    // never the World total row as well.
    double named = COBALT_2024.values().stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(282_000.0, named, 1e-9);
    double world = named + COBALT_OTHER_2024;
    assertEquals(world, cod.getAs("world_total_t"), 1e-6);
    // Share of the sum of countries: 220 000 / 288 200 = 76.34 %; USGS T5 publishes 76.
    assertEquals(220_000.0 / world * 100, cod.getAs("share_pct"), 1e-9);
    assertEquals(76, Math.round(cod.<Double>getAs("share_pct")));
    // Share of USGS's rounded world total: 220 000 / 290 000 = 75.86 % (the 75.9 %).
    assertEquals(COBALT_WORLD_ROUNDED_2024, cod.getAs("published_world_total_t"), 1e-6);
    assertEquals(75.9, cod.<Double>getAs("share_of_published_world_pct"), 0.05);
    assertEquals(76, Math.round(cod.<Double>getAs("share_of_published_world_pct")));
    assertEquals(1, (int) cod.<Integer>getAs("rank"));
    assertEquals(true, cod.getAs("world_coverage"));
  }

  @Test
  void cobaltConcentrationByHand() {
    double world =
        COBALT_2024.values().stream().mapToDouble(Double::doubleValue).sum() + COBALT_OTHER_2024;
    // HHI over named countries only: sum of squared percentage shares.
    double hhi = 0;
    for (double v : COBALT_2024.values()) {
      double share = v / world * 100;
      hhi += share * share;
    }
    // 76.34² = 5 827.2 dominates; the other eleven add 113.6.
    assertEquals(5_940.8, hhi, 0.05);
    // Top three: Congo 220 000, Indonesia 28 000, Russia 8 700.
    double top3 = (220_000.0 + 28_000.0 + 8_700.0) / world * 100;
    Row any =
        one(
            concentration,
            "view = 'production' AND metal = 'CO' AND stage = 'mine' AND year = 2024"
                + " AND country_iso3 = 'IDN'");
    assertEquals(hhi, any.getAs("hhi"), 1e-6);
    assertEquals(220_000.0 / world * 100, any.getAs("top1_share_pct"), 1e-9);
    assertEquals(top3, any.getAs("top3_share_pct"), 1e-9);
    assertEquals(2, (int) any.<Integer>getAs("rank"));
    assertEquals(12L, (long) any.<Long>getAs("countries"));
    // Other Countries: in the total with its share, but never ranked; no World row at all.
    Row other =
        one(
            concentration,
            "view = 'production' AND metal = 'CO' AND stage = 'mine' AND year = 2024"
                + " AND country_iso3 = 'XOC'");
    assertEquals(COBALT_OTHER_2024 / world * 100, other.getAs("share_pct"), 1e-9);
    assertNull(other.getAs("rank"));
    assertEquals(
        0, concentration.filter("metal = 'CO' AND year = 2024 AND country_iso3 = 'WLD'").count());
  }
}
