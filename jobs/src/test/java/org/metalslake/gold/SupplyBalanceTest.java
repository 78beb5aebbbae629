package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.metalslake.testing.TradeFlows.flow;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metalslake.testing.SparkTest;
import org.metalslake.testing.TradeFlows;

/**
 * gold.supply_balance on hand-made silver inputs, every figure worked out in the test: apparent
 * consumption, import reliance, self-sufficiency, stock changes from year-end levels, World totals
 * before partner sums, re-exports, guards on zero or missing denominators, source priority and the
 * consumption method of NIR.
 *
 * <p>Scenarios (all 2024, annual):
 *
 * <ul>
 *   <li>USA copper refinery: trade from two sources with a World row beside partner rows,
 *       re-exports, two stock series, mine production for the raw-material ratio.
 *   <li>USA copper mine: production, no trade.
 *   <li>CHL copper refinery: a net exporter, partner rows only.
 *   <li>DEU copper refinery: production 0, imports = exports, so consumption 0.
 *   <li>JPN copper refinery: trade only.
 *   <li>KOR copper refinery: two production sources, neither in the priority list.
 *   <li>AUS copper refinery: two production sources, one of them in the priority list.
 *   <li>USA nickel refinery: NIR by the consumption method, with published consumption.
 * </ul>
 */
class SupplyBalanceTest extends SparkTest {
  private static final double TOL = 1e-9;

  static final List<String> PRIORITY = List.of("usgs_mcs_salient", "comtrade", "baci");

  static final String PRODUCTION_DDL =
      "source STRING, country_iso3 STRING, country_kind STRING, region STRING, metal STRING,"
          + " stage STRING, basis STRING, period STRING, freq STRING, year INT, month INT,"
          + " months_covered INT, quantity_t DOUBLE, flags STRING";

  static final String STOCKS_DDL =
      "source STRING, country_iso3 STRING, metal STRING, stage STRING, series STRING,"
          + " basis STRING, period STRING, freq STRING, year INT, month INT,"
          + " stock_level_t DOUBLE, stock_change_t DOUBLE";

  static final String PUBLISHED_DDL =
      "source STRING, country_iso3 STRING, metal STRING, stage STRING, basis STRING,"
          + " measure STRING, period STRING, year INT, value DOUBLE, value_text STRING,"
          + " method STRING";

  static Object[] production(String source, String country, String metal, String stage, double t) {
    return row(
        source,
        country,
        "country",
        null,
        metal,
        stage,
        "metal_content",
        "2024",
        "A",
        2024,
        null,
        12,
        t,
        null);
  }

  /** Cathodes (factor 1), annual 2024. */
  static Object[] cathodes(String source, String reporter, String partner, String flow, double t) {
    return flow(
        source, reporter, partner, flow, "740311", "CU", "refinery", 1.0, 2024, null, t, null);
  }

  /** A flow the source reports as metal content (no HS code, no factor). */
  static Object[] metalContent(
      String source, String reporter, String flow, String label, String metal, double t) {
    return row(
        source,
        reporter,
        "WLD",
        "world",
        flow,
        label,
        metal,
        "refinery",
        "metal_content",
        "2024",
        "A",
        2024,
        null,
        null,
        12,
        null,
        null,
        t,
        null,
        false);
  }

  static Object[] level(String series, int year, double t) {
    return row(
        "usgs_mcs_salient",
        "USA",
        "CU",
        "refinery",
        series,
        "metal_content",
        Integer.toString(year),
        "A",
        year,
        null,
        t,
        null);
  }

  private static Dataset<Row> out;

  @BeforeAll
  static void compute() {
    List<Object[]> prod = new ArrayList<>();
    prod.add(production("usgs_mcs_salient", "USA", "CU", "refinery", 1000));
    prod.add(production("usgs_mcs_salient", "USA", "CU", "mine", 500));
    prod.add(production("bureau", "CHL", "CU", "refinery", 2000));
    prod.add(production("bureau", "DEU", "CU", "refinery", 0));
    // AUS: alpha is first alphabetically but not in the priority list; usgs_mcs_salient is
    prod.add(production("alpha", "AUS", "CU", "refinery", 699));
    prod.add(production("usgs_mcs_salient", "AUS", "CU", "refinery", 700));
    // neither listed: alphabetical, alpha before zeta
    prod.add(production("zeta", "KOR", "CU", "refinery", 30));
    prod.add(production("alpha", "KOR", "CU", "refinery", 20));
    prod.add(production("usgs_mcs_salient", "USA", "NI", "refinery", 100));

    List<Object[]> trade = new ArrayList<>();
    // USA: the World total (600) is used, not the partner sum (400 + 300 = 700)
    trade.add(cathodes("comtrade", "USA", "WLD", "M", 600));
    trade.add(cathodes("comtrade", "USA", "CHL", "M", 400));
    trade.add(cathodes("comtrade", "USA", "PER", "M", 300));
    trade.add(cathodes("comtrade", "USA", "WLD", "X", 200));
    // re-exports are part of the 200 t of exports
    trade.add(cathodes("comtrade", "USA", "WLD", "RX", 50));
    // a lower-priority trade source for the same key
    trade.add(cathodes("baci", "USA", "WLD", "M", 9999));
    trade.add(cathodes("baci", "USA", "WLD", "X", 1));
    // CHL: no World row, partner sums
    trade.add(cathodes("comtrade", "CHL", "PER", "M", 100));
    trade.add(cathodes("comtrade", "CHL", "CHN", "X", 600));
    trade.add(cathodes("comtrade", "CHL", "USA", "X", 400));
    trade.add(cathodes("comtrade", "DEU", "WLD", "M", 100));
    trade.add(cathodes("comtrade", "DEU", "WLD", "X", 100));
    trade.add(cathodes("comtrade", "JPN", "WLD", "M", 300));
    trade.add(cathodes("comtrade", "KOR", "WLD", "M", 80));
    trade.add(metalContent("usgs_mcs_salient", "USA", "M", "Imports_t", "NI", 900));
    trade.add(metalContent("usgs_mcs_salient", "USA", "X", "Exports_t", "NI", 200));

    List<Object[]> stocks = new ArrayList<>();
    stocks.add(level("industry", 2023, 300));
    stocks.add(level("industry", 2024, 400));
    stocks.add(level("lme", 2023, 50));
    stocks.add(level("lme", 2024, 30));

    List<Object[]> published = new ArrayList<>();
    published.add(
        row(
            "usgs_mcs_salient",
            "USA",
            "NI",
            "refinery",
            "metal_content",
            "apparent_consumption",
            "2024",
            2024,
            1000.0,
            "1000",
            null));
    published.add(
        row(
            "usgs_mcs_salient",
            "USA",
            "NI",
            "refinery",
            "metal_content",
            "nir",
            "2024",
            2024,
            90.0,
            "90",
            "consumption"));

    out =
        SupplyBalance.compute(
                df(PRODUCTION_DDL, prod.toArray(new Object[0][])),
                df(TradeFlows.DDL, trade.toArray(new Object[0][])),
                df(STOCKS_DDL, stocks.toArray(new Object[0][])),
                df(PUBLISHED_DDL, published.toArray(new Object[0][])),
                PRIORITY)
            .cache();
  }

  @AfterAll
  static void release() {
    out.unpersist();
  }

  /** The 2024 rows, without AUS (which only serves the source-priority test). */
  static Dataset<Row> year2024() {
    return out.filter(col("period").equalTo("2024").and(col("country_iso3").notEqual("AUS")));
  }

  @Test
  void quantities() {
    // USA stock increase: industry 400 - 300 = +100, LME 30 - 50 = -20; together +80
    double usStock = (400 - 300) + (30 - 50);
    // apparent consumption = production + imports - exports - stock increase
    double usAc = 1000 + 600 - 200 - usStock; // 1320; re-exports (50) not subtracted again
    double chlAc = 2000 + 100 - (600 + 400) - 0; // 1100
    double deuAc = 0 + 100 - 100; // 0
    double korAc = 20 + 80; // 100
    double usNiAc = 100 + 900 - 200; // 800
    assertRows(
        List.of(
            row("USA", "CU", "refinery", 1000.0, 600.0, 200.0, 50.0, usStock, usAc, 600.0 - 200),
            // no trade at all: no apparent consumption
            row("USA", "CU", "mine", 500.0, null, null, null, null, null, null),
            row("CHL", "CU", "refinery", 2000.0, 100.0, 1000.0, null, null, chlAc, 100.0 - 1000),
            row("DEU", "CU", "refinery", 0.0, 100.0, 100.0, null, null, deuAc, 0.0),
            // no production: no apparent consumption
            row("JPN", "CU", "refinery", null, 300.0, null, null, null, null, 300.0),
            row("KOR", "CU", "refinery", 20.0, 80.0, null, null, null, korAc, 80.0),
            row("USA", "NI", "refinery", 100.0, 900.0, 200.0, null, null, usNiAc, 900.0 - 200)),
        rows(
            year2024(),
            "country_iso3",
            "metal",
            "stage",
            "production_t",
            "imports_t",
            "exports_t",
            "re_exports_t",
            "stock_change_t",
            "apparent_consumption_t",
            "net_imports_t"),
        TOL);
  }

  @Test
  void ratios() {
    double usStock = (400 - 300) + (30 - 50);
    double usAc = 1000 + 600 - 200 - usStock;
    // import reliance = (imports - exports - stock increase) / AC * 100
    double usNir = (600 - 200 - usStock) / usAc * 100; // 320 / 1320 * 100 = 24.24…
    double usSelf = 1000 / usAc * 100; // 75.75…
    double chlAc = 2000 + 100 - 1000;
    double chlNir = (100.0 - 1000) / chlAc * 100; // -81.81…: a net exporter
    double chlSelf = 2000 / chlAc * 100; // 181.81…
    double korNir = 80.0 / (20 + 80) * 100; // 80
    double korSelf = 20.0 / (20 + 80) * 100; // 20
    // consumption method: (published AC - production) / published AC * 100
    double niNir = (1000.0 - 100) / 1000 * 100; // 90
    double niSelf = 100.0 / (100 + 900 - 200) * 100; // 12.5, on the computed AC
    assertRows(
        List.of(
            // raw material: mine 500 / refinery 1000 * 100 = 50
            row("USA", "CU", "refinery", usNir, false, usSelf, 500.0, 500.0 / 1000 * 100, "trade"),
            row("USA", "CU", "mine", null, null, null, null, null, "trade"),
            // a net exporter: no import reliance (USGS prints E); the signed ratio is kept apart
            row("CHL", "CU", "refinery", null, true, chlSelf, null, null, "trade"),
            // AC 0 and production 0: every ratio null, no exception
            row("DEU", "CU", "refinery", null, false, null, null, null, "trade"),
            // no production: AC and the ratios on it are null
            row("JPN", "CU", "refinery", null, false, null, null, null, "trade"),
            row("KOR", "CU", "refinery", korNir, false, korSelf, null, null, "trade"),
            row("USA", "NI", "refinery", niNir, false, niSelf, null, null, "consumption")),
        rows(
            year2024(),
            "country_iso3",
            "metal",
            "stage",
            "import_reliance_pct",
            "net_exporter",
            "self_sufficiency_pct",
            "mine_production_t",
            "raw_material_self_sufficiency_pct",
            "nir_method"),
        TOL);
    assertRows(
        List.<Object[]>of(row("CHL", "E", chlNir)),
        rows(
            year2024().filter(col("country_iso3").equalTo("CHL")),
            "country_iso3",
            "import_reliance_text",
            "net_import_ratio_pct"),
        TOL);
  }

  @Test
  void publishedFiguresBesideComputedOnes() {
    assertRows(
        List.<Object[]>of(row("USA", "NI", 90.0, "90", 1000.0)),
        rows(
            year2024().filter(col("published_nir_pct").isNotNull()),
            "country_iso3",
            "metal",
            "published_nir_pct",
            "published_nir_text",
            "published_apparent_consumption_t"),
        TOL);
  }

  @Test
  void listedSourceBeatsUnlistedOne() {
    // usgs_mcs_salient is in the priority list, alpha is not: usgs_mcs_salient's 700 t, although
    // alpha comes first alphabetically (unlisted sources come after the listed ones)
    assertRows(
        List.<Object[]>of(row("AUS", "usgs_mcs_salient", 700.0)),
        rows(
            out.filter(col("country_iso3").equalTo("AUS")),
            "country_iso3",
            "production_source",
            "production_t"),
        TOL);
  }

  @Test
  void sourcesFollowThePriorityList() {
    assertRows(
        List.of(
            // comtrade before baci, both listed
            row("USA", "CU", "refinery", "usgs_mcs_salient", "comtrade", "usgs_mcs_salient", 12L),
            row("USA", "CU", "mine", "usgs_mcs_salient", null, null, null),
            row("CHL", "CU", "refinery", "bureau", "comtrade", null, 12L),
            row("DEU", "CU", "refinery", "bureau", "comtrade", null, 12L),
            row("JPN", "CU", "refinery", null, "comtrade", null, 12L),
            // neither alpha nor zeta is listed: alphabetical order
            row("KOR", "CU", "refinery", "alpha", "comtrade", null, 12L),
            row("USA", "NI", "refinery", "usgs_mcs_salient", "usgs_mcs_salient", null, 12L)),
        rows(
            year2024(),
            "country_iso3",
            "metal",
            "stage",
            "production_source",
            "trade_source",
            "stocks_source",
            "trade_months"),
        TOL);
  }

  @Test
  void firstYearOfLevelsHasNoChange() {
    // 2023 has levels but no 2022 level to difference: no stock change
    assertRows(
        List.<Object[]>of(row("USA", "CU", "refinery", null, null)),
        rows(
            out.filter(col("period").equalTo("2023")),
            "country_iso3",
            "metal",
            "stage",
            "stock_change_t",
            "apparent_consumption_t"),
        TOL);
  }
}
