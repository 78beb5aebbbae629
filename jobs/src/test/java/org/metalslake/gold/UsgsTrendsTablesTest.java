package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metalslake.pipeline.Pipeline;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * Three more USGS MCS layouts, as released (test resources real/usgs): the MCS2026 long layout
 * (Commodities Data), the critical-minerals tables (T5 of MCS2024 and MCS2025, T7 of MCS2026) and
 * the Fig2 net import reliance tables (MCS2024, MCS2025), read together with the salient files of
 * the same releases. Expected figures are typed in from the files (docs/usgs-releases.md sections 4
 * and 5) or calculated by hand below.
 */
class UsgsTrendsTablesTest extends SparkTest {
  private static final double TOL = 1e-6;
  private static final String LONG = "MCS2026_Commodities_Data_excerpt.csv";

  private static Pipeline.Conformed read;
  private static Dataset<Row> production;
  private static Dataset<Row> capacity;
  private static Dataset<Row> published;

  /** Every output row (good or not) of every table, with the file it came from. */
  private static Dataset<Row> outcomes;

  static String resource(String path) {
    try {
      return new File(
              UsgsTrendsTablesTest.class.getClassLoader().getResource("real/usgs/" + path).toURI())
          .getPath();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void conformTheFiles() {
    RefData ref = RefData.load(spark(), "");
    List<String> files = new ArrayList<>();
    files.add(resource("mcs2026/" + LONG));
    files.add(resource("mcs2026/MCS2026_T7_Critical_Minerals_Salient.csv"));
    files.add(resource("mcs2024/trends/MCS2024_T5_Critical_Minerals_Salient.csv"));
    files.add(resource("mcs2025/trends/MCS2025_T5_Critical_Minerals_Salient.csv"));
    files.add(resource("mcs2024/trends/MCS2024_Fig2_Net_Import_Reliance.csv"));
    files.add(resource("mcs2025/trends/MCS2025_Fig2_Net_Import_Reliance.csv"));
    for (String m : List.of("alum", "coppe", "lead", "nicke", "tin", "zinc")) {
      files.add(resource("mcs2024/salient/mcs2024-" + m + "_salient.csv"));
    }
    for (String m : List.of("alumi", "cobal", "coppe", "lead", "nicke", "tin", "zinc")) {
      files.add(resource("mcs2025/salient/mcs2025-" + m + "_salient.csv"));
    }
    read = Pipeline.conformFiles(spark(), testSettings(Map.of()), files, ref);
    assertEquals(List.of(), read.rejected(), "every file is recognised");
    Map<TableId, Dataset<Row>> facts = new LinkedHashMap<>();
    Dataset<Row> all = null;
    for (Map.Entry<TableId, Dataset<Row>> e : read.facts().entrySet()) {
      Dataset<Row> df = materialise(e.getValue());
      facts.put(e.getKey(), df);
      Dataset<Row> o =
          df.select("_source_file", "_line", "_format", "_severity", "_reason")
              .withColumn("table", org.apache.spark.sql.functions.lit(e.getKey().toString()));
      all = all == null ? o : all.unionByName(o);
    }
    outcomes = all.cache();
    production = good(facts.get(Tables.PRODUCTION));
    capacity = good(facts.get(Tables.COUNTRY_CAPACITY));
    published = good(facts.get(Tables.PUBLISHED_BALANCE));
  }

  private static Dataset<Row> materialise(Dataset<Row> df) {
    return spark().createDataFrame(df.collectAsList(), df.schema());
  }

  private static Dataset<Row> good(Dataset<Row> df) {
    return df.filter(col("_reason").isNull()).cache();
  }

  private static Row one(Dataset<Row> df, String where) {
    List<Row> rows = df.filter(where).collectAsList();
    assertEquals(1, rows.size(), "rows where " + where);
    return rows.get(0);
  }

  private static String file(String name) {
    return "_source_file LIKE '%" + name + "'";
  }

  /** Published value of a measure, from one file. */
  private static Row pub(String fileName, String where) {
    return one(published, file(fileName) + " AND " + where);
  }

  @Test
  void formatsAreFoundFromTheHeader() {
    Map<String, String> formats = new LinkedHashMap<>();
    read.files().forEach(f -> formats.put(new File(f.path()).getName(), f.format().name()));
    assertEquals("usgs-mcs-commodities", formats.get(LONG));
    assertEquals(
        "usgs-mcs-critical-minerals", formats.get("MCS2026_T7_Critical_Minerals_Salient.csv"));
    assertEquals(
        "usgs-mcs-critical-minerals", formats.get("MCS2024_T5_Critical_Minerals_Salient.csv"));
    assertEquals(
        "usgs-mcs-critical-minerals", formats.get("MCS2025_T5_Critical_Minerals_Salient.csv"));
    assertEquals("usgs-mcs-import-reliance", formats.get("MCS2024_Fig2_Net_Import_Reliance.csv"));
    assertEquals("usgs-mcs-import-reliance", formats.get("MCS2025_Fig2_Net_Import_Reliance.csv"));
  }

  @Test
  void longLayoutCobaltIsTheWorldFilesSource() {
    String co = file(LONG) + " AND metal = 'CO' AND stage = 'mine' AND basis = 'metal_content'";
    // 2025, Congo (Kinshasa): "230,000" metric tons, Notes "Estimated."
    Row cod = one(production, co + " AND country_iso3 = 'COD' AND period = '2025'");
    assertEquals(230_000.0, cod.getAs("quantity_t"), TOL);
    assertEquals("e", cod.getAs("flags"));
    assertEquals("country", cod.getAs("country_kind"));
    assertEquals("usgs-mcs", cod.getAs("source"));
    assertEquals("MCS2026", cod.getAs("release"));
    // World total, detail "Mine production: rounded": WLD, never a country.
    Row wld = one(production, co + " AND country_iso3 = 'WLD' AND period = '2025'");
    assertEquals(310_000.0, wld.getAs("quantity_t"), TOL);
    assertEquals("world", wld.getAs("country_kind"));
    assertEquals(
        226_000.0,
        one(production, co + " AND country_iso3 = 'COD' AND period = '2024'")
            .<Double>getAs("quantity_t"),
        TOL);
    assertEquals(
        302_000.0,
        one(production, co + " AND country_iso3 = 'WLD' AND period = '2024'")
            .<Double>getAs("quantity_t"),
        TOL);
    Row other = one(production, co + " AND country_iso3 = 'XOC' AND period = '2025'");
    assertEquals(9_100.0, other.getAs("quantity_t"), TOL);
    assertEquals("other", other.getAs("country_kind"));
    // 12 countries + Other countries + World total, two years.
    assertEquals(28, production.filter(co).count());
    // Lithium, United States: W withheld.
    Row us =
        one(
            production,
            file(LONG) + " AND metal = 'LI' AND country_iso3 = 'USA' AND period = '2025'");
    assertNull(us.getAs("quantity_t"));
    assertEquals("W", us.getAs("flags"));
  }

  @Test
  void longLayoutCapacityReservesAndDashes() {
    // Gallium, Capacity / Production capacity, 2025, kilograms: China "1,600,000" kg = 1 600 t.
    Row chn = one(capacity, file(LONG) + " AND metal = 'GA' AND country_iso3 = 'CHN'");
    assertEquals(1_600.0, chn.getAs("capacity_t"), TOL);
    assertEquals("primary", chn.getAs("stage"));
    assertEquals("kg", chn.getAs("unit_reported"));
    assertEquals("e", chn.getAs("flags")); // "Estimated from Asian Metal Ltd."
    Row wld = one(capacity, file(LONG) + " AND metal = 'GA' AND country_iso3 = 'WLD'");
    assertEquals(1_700.0, wld.getAs("capacity_t"), TOL);
    // China, Japan, Russia, Other countries, World total (the United States has "—").
    assertEquals(5, capacity.filter(file(LONG)).count());
    // Capacity never lands in production: gallium production 2025 China is "900,000" kg.
    assertEquals(
        900.0,
        one(
                production,
                file(LONG) + " AND metal = 'GA' AND country_iso3 = 'CHN' AND period = '2025'")
            .<Double>getAs("quantity_t"),
        TOL);

    Dataset<Row> longRows = outcomes.filter(file(LONG));
    // Reserves: cobalt 12 countries + Other + World = 14, lithium 10 + Other + World = 12.
    assertEquals(
        26,
        longRows.filter("_severity = 'skipped' AND _reason LIKE 'reserves are not kept%'").count());
    // "—": gallium United States and Other countries 2024 and 2025, United States capacity;
    // lithium Other countries 2024 and 2025.
    assertEquals(
        7,
        longRows.filter("_severity = 'skipped' AND _reason LIKE 'no figure published%'").count());
    assertEquals(0, longRows.filter("_severity = 'error'").count());
    // Every record once: 96 data lines, one row each.
    assertEquals(96, longRows.count());
    assertEquals(96, longRows.select("_line").distinct().count());
    // 96 - 26 reserves - 7 dashes = 63 facts: production 58, capacity 5.
    assertEquals(58, production.filter(file(LONG)).count());
  }

  @Test
  void congoShareOfTheRoundedWorldTotalMatchesT7() {
    Dataset<Row> concentration =
        SupplyConcentration.compute(production.filter(file(LONG)), null, null, null);
    Row cod =
        one(
            concentration,
            "view = 'production' AND metal = 'CO' AND stage = 'mine' AND year = 2025"
                + " AND country_iso3 = 'COD'");
    assertEquals(310_000.0, cod.getAs("published_world_total_t"), TOL);
    // 230 000 / 310 000 * 100 = 74.19 %
    double share = 230_000.0 / 310_000.0 * 100;
    assertEquals(74.19, share, 0.005);
    assertEquals(share, cod.getAs("share_of_published_world_pct"), 1e-9);
    // T7 publishes 74 for Congo (Kinshasa), 2025_estimated.
    Row t7 =
        pub(
            "MCS2026_T7_Critical_Minerals_Salient.csv",
            "country_iso3 = 'COD' AND metal = 'CO' AND measure = 'leading_country_share'");
    assertEquals(74.0, t7.getAs("value"), TOL);
    assertEquals(t7.<Double>getAs("value"), cod.getAs("share_of_published_world_pct"), 0.5);
  }

  @Test
  void criticalMineralsCobaltPerRelease() {
    // file, year, Congo's production, world production, published share, U.S. NIR
    Object[][] expected = {
      {"MCS2024_T5_Critical_Minerals_Salient.csv", "2023", 170_000.0, 230_000.0, 74.0, 67.0},
      {"MCS2025_T5_Critical_Minerals_Salient.csv", "2024", 220_000.0, 290_000.0, 76.0, 76.0},
      {"MCS2026_T7_Critical_Minerals_Salient.csv", "2025", 230_000.0, 310_000.0, 74.0, 79.0}
    };
    for (Object[] e : expected) {
      String f = (String) e[0];
      String at = "metal = 'CO' AND period = '" + e[1] + "' AND ";
      String congo = at + "country_iso3 = 'COD' AND stage = 'mine' AND ";
      Row prod = pub(f, congo + "measure = 'leading_country_production'");
      assertEquals((double) e[2], prod.getAs("value"), TOL, f);
      assertEquals("e", prod.getAs("flags"), f); // Year "20NN_estimated"
      assertEquals("usgs_mcs_critical_minerals", prod.getAs("source"));
      assertEquals(f.substring(0, 7), prod.getAs("release"));
      assertEquals((double) e[3], pub(f, congo + "measure = 'world_production'").getAs("value"));
      assertEquals(
          (double) e[4], pub(f, congo + "measure = 'leading_country_share'").getAs("value"));
      Row nir = pub(f, at + "country_iso3 = 'USA' AND stage = 'refinery' AND measure = 'nir'");
      assertEquals((double) e[5], nir.getAs("value"), TOL, f);
      assertEquals("trade", nir.getAs("method"));
    }
    // U.S. apparent consumption, t: 6 400 (2023), 8 500 (2024), 9 600 (2025).
    assertEquals(
        9_600.0,
        pub(
                "MCS2026_T7_Critical_Minerals_Salient.csv",
                "metal = 'CO' AND country_iso3 = 'USA' AND measure = 'apparent_consumption'")
            .<Double>getAs("value"),
        TOL);
  }

  @Test
  void criticalMineralsCodesBoundsAndSkips() {
    String t5 = "MCS2025_T5_Critical_Minerals_Salient.csv";
    // Beryllium 2024: NIR "E" (net exporter), kept as text, no value.
    Row be = pub(t5, "metal = 'BE' AND country_iso3 = 'USA' AND measure = 'nir'");
    assertNull(be.getAs("value"));
    assertEquals("E", be.getAs("value_text"));
    // Its leading country is the United States itself: 180 of 360 t, 50 %.
    assertEquals(
        180.0,
        pub(t5, "metal = 'BE' AND country_iso3 = 'USA' AND measure = 'leading_country_production'")
            .<Double>getAs("value"),
        TOL);
    String t7 = "MCS2026_T7_Critical_Minerals_Salient.csv";
    // Lithium 2025: NIR ">50", apparent consumption W.
    Row li = pub(t7, "metal = 'LI' AND country_iso3 = 'USA' AND measure = 'nir'");
    assertNull(li.getAs("value"));
    assertEquals(">50", li.getAs("value_text"));
    Row liAc =
        pub(t7, "metal = 'LI' AND country_iso3 = 'USA' AND measure = 'apparent_consumption'");
    assertNull(liAc.getAs("value"));
    assertEquals("W", liAc.getAs("value_text"));
    assertEquals("e,W", liAc.getAs("flags"));
    // Bauxite: Guinea 150 000 000 t (gross weight) of 440 000 000, 34 %.
    Row gin = pub(t7, "metal = 'AL' AND country_iso3 = 'GIN' AND measure = 'world_production'");
    assertEquals(440_000_000.0, gin.getAs("value"), TOL);
    assertEquals("gross", gin.getAs("basis"));
    // MCS2024 zinc: leading country NA throughout, so only the U.S. NIR (77) and consumption.
    String t5a = "MCS2024_T5_Critical_Minerals_Salient.csv";
    assertEquals(2, published.filter(file(t5a) + " AND metal = 'ZN'").count());
    // Header typos of MCS2024 (Apparent_Consuption) read by alias: 970 000 t.
    assertEquals(
        970_000.0,
        pub(t5a, "metal = 'ZN' AND measure = 'apparent_consumption'").<Double>getAs("value"),
        TOL);
    // 31 minerals per T5, 13 in the mapping; 6 in T7, 4 in the mapping.
    Map<String, Long> skipped = new LinkedHashMap<>();
    skipped.put(t5a, 18L);
    skipped.put(t5, 18L);
    skipped.put(t7, 2L);
    skipped.forEach(
        (f, n) -> {
          Dataset<Row> rows = outcomes.filter(file(f));
          assertEquals(
              n, rows.filter("_severity = 'skipped' AND _reason LIKE 'outside scope%'").count(), f);
          assertEquals(0, rows.filter("_severity = 'error'").count(), f);
        });
    // 13 minerals x 5 figures, less zinc's three NA leading-country figures.
    assertEquals(62, published.filter(file(t5a)).count());
  }

  /** Published NIR per metal/stage: MCS2024 (2023) and MCS2025 (2024), typed from the files. */
  static final Map<String, Integer> NIR_2023 = new LinkedHashMap<>();

  static final Map<String, Integer> NIR_2024 = new LinkedHashMap<>();

  static {
    NIR_2023.put("CU/refinery", 46);
    NIR_2023.put("AL/primary", 44);
    NIR_2023.put("ZN/refinery", 77);
    NIR_2023.put("PB/refinery", 35);
    NIR_2023.put("SN/refinery", 74);
    NIR_2023.put("NI/primary", 57);
    NIR_2024.put("CU/refinery", 45);
    NIR_2024.put("AL/primary", 47);
    NIR_2024.put("CO/refinery", 76);
    NIR_2024.put("ZN/refinery", 73);
    NIR_2024.put("PB/refinery", 28);
    NIR_2024.put("SN/refinery", 73);
    NIR_2024.put("NI/primary", 48);
  }

  private static void assertFig2EqualsSalient(String release, int year, Map<String, Integer> nir) {
    nir.forEach(
        (key, value) -> {
          String[] ms = key.split("/");
          String at =
              "country_iso3 = 'USA' AND measure = 'nir' AND metal = '"
                  + ms[0]
                  + "' AND stage = '"
                  + ms[1]
                  + "' AND period = '"
                  + year
                  + "' AND release = '"
                  + release
                  + "' AND source = ";
          Row fig2 = one(published, at + "'usgs_mcs_fig2'");
          Row salient = one(published, at + "'usgs_mcs_salient'");
          assertEquals(value.doubleValue(), fig2.getAs("value"), TOL, release + " Fig2 " + key);
          assertEquals(
              value.doubleValue(), salient.getAs("value"), TOL, release + " salient " + key);
        });
  }

  @Test
  void fig2EqualsTheSalientNirOfItsRelease() {
    assertFig2EqualsSalient("MCS2024", 2023, NIR_2023);
    assertFig2EqualsSalient("MCS2025", 2024, NIR_2024);
    // Bounds kept as text: lithium ">25" (2023), bauxite ">75" (2024, gross weight).
    Row li = one(published, "source = 'usgs_mcs_fig2' AND metal = 'LI' AND period = '2023'");
    assertNull(li.getAs("value"));
    assertEquals(">25", li.getAs("value_text"));
    assertEquals("chemical", li.getAs("stage"));
    Row bx =
        one(
            published,
            "source = 'usgs_mcs_fig2' AND metal = 'AL' AND stage = 'mine' AND period = '2024'");
    assertEquals(">75", bx.getAs("value_text"));
    assertEquals("gross", bx.getAs("basis"));
    assertEquals("net_import_reliance_pct_2024", bx.getAs("columns"));
    // 63 and 64 commodities; 15 and 14 in the mapping, the others skipped.
    assertEquals(
        48,
        outcomes
            .filter(file("MCS2024_Fig2_Net_Import_Reliance.csv") + " AND _severity = 'skipped'")
            .count());
    assertEquals(
        50,
        outcomes
            .filter(file("MCS2025_Fig2_Net_Import_Reliance.csv") + " AND _severity = 'skipped'")
            .count());
    assertEquals(15, published.filter(file("MCS2024_Fig2_Net_Import_Reliance.csv")).count());
    // No errors in these layouts (the salient format's own quirks, such as MCS2024 copper's
    // "e150", are another format's).
    Dataset<Row> errors =
        outcomes.filter(
            "_severity = 'error' AND _format IN ('usgs-mcs-commodities',"
                + " 'usgs-mcs-critical-minerals', 'usgs-mcs-import-reliance')");
    assertEquals(0, errors.count(), errors.collectAsList().toString());
  }

  @Test
  void goldKeepsTheSalientFiguresAndFillsOnlyWhereNoSalientFileHasOne() {
    Map<TableId, Dataset<Row>> facts = read.facts();
    Dataset<Row> balance =
        SupplyBalance.compute(
                production,
                good(facts.get(Tables.TRADE_FLOWS)),
                good(facts.get(Tables.STOCKS)),
                published,
                testSettings(Map.of()).balanceSourcePriority())
            .cache();
    // Cobalt 2023: the MCS2025 salient file says NIR 69 and apparent consumption 6 440 t;
    // MCS2024 T5 says 67 and 6 400 t, MCS2024 Fig2 67. The salient figures stay.
    Row co2023 =
        one(
            balance,
            "country_iso3 = 'USA' AND metal = 'CO' AND stage = 'refinery' AND period = '2023'");
    assertEquals(69.0, co2023.getAs("published_nir_pct"), TOL);
    assertEquals(6_440.0, co2023.getAs("published_apparent_consumption_t"), TOL);
    // Published rows never make a balance row of their own (U.S. gallium has neither production
    // nor trade here: T5's NIR 100 has no row to go to), and the leading producer's figures are no
    // balance figures.
    assertTrue(balance.filter("country_iso3 = 'USA' AND metal = 'GA'").isEmpty());
    // The leading producer's figures are no balance: no Congo row comes from them (Congo's
    // cobalt rows come from production only).
    assertEquals(
        0,
        balance
            .filter("country_iso3 = 'COD' AND production_t IS NULL AND imports_t IS NULL")
            .count());
    assertTrue(balance.filter("country_iso3 = 'GIN'").isEmpty());

    // Where no salient file gives the NIR (here: the salient cobalt figures of 2024 left out),
    // Fig2 and T5 fill it: both publish 76 for 2024.
    Dataset<Row> withoutSalientCobalt2024 =
        published.filter("NOT (source = 'usgs_mcs_salient' AND metal = 'CO' AND period = '2024')");
    Row filled =
        one(
            SupplyBalance.compute(
                production,
                good(facts.get(Tables.TRADE_FLOWS)),
                good(facts.get(Tables.STOCKS)),
                withoutSalientCobalt2024,
                testSettings(Map.of()).balanceSourcePriority()),
            "country_iso3 = 'USA' AND metal = 'CO' AND stage = 'refinery' AND period = '2024'");
    assertEquals(76.0, filled.getAs("published_nir_pct"), TOL);
    assertEquals("76", filled.getAs("published_nir_text"));
    // The consumption T5 publishes (8 500 t) then fills the published consumption as well.
    assertEquals(8_500.0, filled.getAs("published_apparent_consumption_t"), TOL);
  }
}
