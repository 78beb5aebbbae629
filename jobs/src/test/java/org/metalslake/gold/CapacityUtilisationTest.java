package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;
import org.metalslake.testing.TradeFixtures;

/**
 * gold.capacity_utilisation ({@link CapacityUtilisation}, with {@link PlantYears}) and the equity
 * view of gold.supply_concentration on hand-made silver and gold inputs, every figure worked out in
 * the test: prorating by months operating, year-end capacity, the pipeline of planned and
 * under-construction plants, utilisation, overcapacity against demand from the supply balance,
 * guards on zero or missing denominators, the choice between plant-level and country-level
 * capacity, and output credited to the owner country.
 *
 * <p>All figures are copper (CU), metal content, metric tonnes a year.
 */
class CapacityUtilisationTest extends SparkTest {
  private static final double TOL = 1e-6;

  static final String PLANT_SOURCE = "plant-list";

  /** silver.capacity without lineage. */
  static final String PLANTS_DDL =
      "source STRING, plant_id STRING, plant STRING, company STRING, owner_iso3 STRING,"
          + " owner_given BOOLEAN, country_iso3 STRING, region STRING, metal STRING,"
          + " stage STRING, basis STRING, status STRING, capacity_t DOUBLE, start_year INT,"
          + " start_month INT, end_year INT, end_month INT";

  /** silver.country_capacity, the columns the transform reads. */
  static final String COUNTRY_CAPACITY_DDL =
      "source STRING, country_iso3 STRING, country_kind STRING, region STRING, metal STRING,"
          + " stage STRING, basis STRING, period STRING, freq STRING, year INT,"
          + " capacity_t DOUBLE";

  /** silver.production. */
  static final String PRODUCTION_DDL =
      "source STRING, country_iso3 STRING, country_kind STRING, region STRING, metal STRING,"
          + " stage STRING, basis STRING, period STRING, freq STRING, year INT, month INT,"
          + " months_covered INT, quantity_t DOUBLE, flags STRING";

  /** gold.supply_balance, the columns the transforms read. */
  static final String BALANCE_DDL =
      "country_iso3 STRING, metal STRING, stage STRING, basis STRING, freq STRING, year INT,"
          + " month INT, period STRING, apparent_consumption_t DOUBLE";

  /** gold.capacity_utilisation, the columns the equity view reads. */
  static final String UTILISATION_DDL =
      "country_iso3 STRING, metal STRING, stage STRING, basis STRING, year INT,"
          + " utilisation_pct DOUBLE";

  @TempDir static Path dir;

  /** A plant of the plant list; the owner is the host country when {@code owner} is null. */
  static Object[] plant(
      String id,
      String country,
      String owner,
      String stage,
      String status,
      double capacityT,
      Integer startYear,
      Integer startMonth,
      Integer endYear,
      Integer endMonth) {
    return row(
        PLANT_SOURCE,
        id,
        "Plant " + id,
        null,
        owner == null ? country : owner,
        owner != null,
        country,
        null,
        "CU",
        stage,
        "metal_content",
        status,
        capacityT,
        startYear,
        startMonth,
        endYear,
        endMonth);
  }

  /** An operating plant without dates: operating before and after every year reported. */
  static Object[] always(String id, String country, String stage, double capacityT) {
    return plant(id, country, null, stage, "operating", capacityT, null, null, null, null);
  }

  static Object[] production(String source, String country, String stage, int year, double t) {
    return row(
        source,
        country,
        "country",
        null,
        "CU",
        stage,
        "metal_content",
        Integer.toString(year),
        "A",
        year,
        null,
        12,
        t,
        null);
  }

  static Object[] countryCapacity(
      String source, String country, String region, String stage, int year, double t) {
    return row(
        source,
        country,
        "country",
        region,
        "CU",
        stage,
        "metal_content",
        Integer.toString(year),
        "A",
        year,
        t);
  }

  static Object[] demand(String country, String stage, int year, double t) {
    return row(country, "CU", stage, "metal_content", "A", year, null, Integer.toString(year), t);
  }

  static Dataset<Row> plants(Object[]... rows) {
    return df(PLANTS_DDL, rows);
  }

  // ------------------------------------------------------------------------------ prorating

  /**
   * AUS: 120 kt/yr from April 2024, open-ended. CHL: 60 kt/yr from 2020, closed with end_date
   * 2024-09. PER: 80 kt/yr with no dates.
   */
  static Dataset<Row> proratingPlants() {
    return plants(
        plant("A", "AUS", null, "smelter", "operating", 120_000, 2024, 4, null, null),
        plant("B", "CHL", null, "smelter", "closed", 60_000, 2020, 1, 2024, 9),
        always("C", "PER", "smelter", 80_000));
  }

  @Test
  void plantYearsProrateByMonthsOperating() {
    Dataset<Row> years = df("year INT", row(2023), row(2024), row(2025));
    assertRows(
        List.of(
            // A: April-December 2024 = 9 months; 120 000 * 9 / 12 = 90 000; operating in
            // December: year-end 120 000. Nothing in 2023. Full year 2025.
            row("A", 2024, 9, 120_000 * 9 / 12.0, 120_000.0),
            row("A", 2025, 12, 120_000.0, 120_000.0),
            // B: full 2023; January-September 2024 = 9 months, 60 000 * 9 / 12 = 45 000, closed
            // before December: year-end 0. Nothing in 2025.
            row("B", 2023, 12, 60_000.0, 60_000.0),
            row("B", 2024, 9, 60_000 * 9 / 12.0, 0.0),
            // C: no dates, full capacity every year
            row("C", 2023, 12, 80_000.0, 80_000.0),
            row("C", 2024, 12, 80_000.0, 80_000.0),
            row("C", 2025, 12, 80_000.0, 80_000.0)),
        rows(
            PlantYears.compute(proratingPlants(), years),
            "plant_id",
            "year",
            "months_operating",
            "effective_capacity_t",
            "year_end_capacity_t"),
        TOL);
  }

  @Test
  void capacityIsProratedPerCountryAndYear() {
    // Years reported: from the first production year (2023) to the last year that production
    // (2025) or a plant date (2020, 2024) names: 2023-2025. B's years before 2023 have no
    // production to compare with and are not reported.
    Dataset<Row> prod =
        df(
            PRODUCTION_DDL,
            production("bureau", "PER", "smelter", 2023, 64_000),
            production("bureau", "AUS", "smelter", 2025, 96_000));
    Dataset<Row> out =
        CapacityUtilisation.compute(
            proratingPlants(), null, prod, null, List.of(), List.of("bureau"), 1.0);
    assertRows(
        List.of(
            // A: no row in 2023 (not yet operating); 9 months of 2024; all of 2025
            row("AUS", 2024, 90_000.0, 120_000.0, 1L),
            row("AUS", 2025, 120_000.0, 120_000.0, 1L),
            // B: 2023 in full; 2024: 45 000 effective, 0 at year end; no capacity in 2025
            row("CHL", 2023, 60_000.0, 60_000.0, 1L),
            row("CHL", 2024, 45_000.0, 0.0, 1L),
            // C: open-ended, full capacity every year reported
            row("PER", 2023, 80_000.0, 80_000.0, 1L),
            row("PER", 2024, 80_000.0, 80_000.0, 1L),
            row("PER", 2025, 80_000.0, 80_000.0, 1L)),
        rows(out, "country_iso3", "year", "capacity_t", "year_end_capacity_t", "plants"),
        TOL);
    // AUS 2025: 96 000 / 120 000 * 100 = 80 %; idle 120 000 - 96 000 = 24 000
    // PER 2023: 64 000 / 80 000 * 100 = 80 %; idle 80 000 - 64 000 = 16 000
    assertRows(
        List.of(
            row(
                "PER",
                2023,
                "2023",
                64_000.0,
                80.0,
                16_000.0,
                "plants_prorated",
                PLANT_SOURCE,
                "bureau"),
            row(
                "AUS",
                2025,
                "2025",
                96_000.0,
                80.0,
                24_000.0,
                "plants_prorated",
                PLANT_SOURCE,
                "bureau")),
        rows(
            out.filter(col("production_t").isNotNull()),
            "country_iso3",
            "year",
            "period",
            "production_t",
            "utilisation_pct",
            "idle_capacity_t",
            "capacity_method",
            "capacity_source",
            "production_source"),
        TOL);
  }

  @Test
  void fullDatesCountByTheirMonth() {
    List<String> lines =
        List.of(
            "plant_id,plant,company,owner_country,country,region,metal,stage,capacity,unit,"
                + "status,start_date,end_date",
            // from 30 April 2024: April-December, 9 months; 24 000 * 9 / 12 = 18 000
            "D1,,,,Chile,,copper,smelter,24,kt,operating,2024-04-30,",
            // 1 January 2019 to 1 September 2024: 2024 January-September, 9 months;
            // 12 000 * 9 / 12 = 9 000, and nothing at the end of 2024
            "D2,,,,Chile,,copper,smelter,12,kt,closed,2019-01-01,2024-09-01");
    Path f = TradeFixtures.write(dir, "dates", "plants.csv", lines);
    Dataset<Row> facts =
        TradeFixtures.ingest(
                spark(), f, TradeFixtures.ref(spark(), dir.resolve("ref")), Tables.CAPACITY)
            .filter(col("_reason").isNull());
    assertEquals(2, facts.count(), "both plants are facts");
    // no production: the years reported run from the first plant date (2019) to the last (2024)
    Dataset<Row> out =
        CapacityUtilisation.compute(facts, null, null, null, List.of(), List.of(), 1.0);
    assertRows(
        List.of(
            // D2 alone, 2019-2023: 12 000 each year, operating in December
            row("CHL", 2019, 12_000.0, 12_000.0, 1L),
            row("CHL", 2020, 12_000.0, 12_000.0, 1L),
            row("CHL", 2021, 12_000.0, 12_000.0, 1L),
            row("CHL", 2022, 12_000.0, 12_000.0, 1L),
            row("CHL", 2023, 12_000.0, 12_000.0, 1L),
            // 18 000 + 9 000 = 27 000; year end: D1 24 000 + D2 0
            row("CHL", 2024, 18_000.0 + 9_000.0, 24_000.0, 2L)),
        rows(out, "country_iso3", "year", "capacity_t", "year_end_capacity_t", "plants"),
        TOL);
  }

  // -------------------------------------------------------------------- overcapacity (speech)

  /**
   * China's copper smelters, 6 + 5.5 + 4.5 = 16 Mt/yr, operating all of 2024, against refined
   * copper demand of 14.5 Mt; Peru's mines (2 Mt/yr) with only a refinery balance.
   */
  static Dataset<Row> speech(double threshold) {
    Dataset<Row> plants =
        plants(
            always("S1", "CHN", "smelter", 6_000_000),
            always("S2", "CHN", "smelter", 5_500_000),
            plant("S3", "CHN", null, "smelter", "operating", 4_500_000, 2024, 1, null, null),
            always("M1", "PER", "mine", 2_000_000));
    Dataset<Row> prod =
        df(
            PRODUCTION_DDL,
            production("bureau", "CHN", "smelter", 2024, 12_800_000),
            production("bureau", "PER", "mine", 2024, 1_800_000));
    Dataset<Row> balance =
        df(
            BALANCE_DDL,
            // the refinery balance is the demand of smelter capacity ...
            demand("CHN", "refinery", 2024, 14_500_000),
            // ... before the primary one, and never the mine one
            demand("CHN", "primary", 2024, 20_000_000),
            demand("CHN", "mine", 2024, 3_000_000),
            // a monthly figure is not annual demand, even at the same stage
            row("CHN", "CU", "smelter", "metal_content", "M", 2024, 3, "2024-03", 1_000_000.0),
            // mine capacity is only set against a mine balance: none for Peru
            demand("PER", "refinery", 2024, 500_000));
    return CapacityUtilisation.compute(
        plants, null, prod, balance, List.of(), List.of("bureau"), threshold);
  }

  @Test
  void chinaSmelterOvercapacity() {
    Dataset<Row> out = speech(1.0);
    double capacity = 6_000_000 + 5_500_000 + 4_500_000; // 16 Mt
    double demand = 14_500_000;
    assertRows(
        List.<Object[]>of(
            row(
                "CHN",
                "smelter",
                2024,
                capacity,
                capacity,
                3L,
                12_800_000.0,
                // 12.8 / 16 * 100 = 80 %
                80.0,
                // 16 - 12.8 = 3.2 Mt idle
                3_200_000.0,
                demand,
                "refinery",
                // 16 / 14.5 = 1.1034…
                capacity / demand,
                // 16 - 14.5 = 1.5 Mt
                1_500_000.0,
                true,
                1.0)),
        rows(
            out.filter(col("country_iso3").equalTo("CHN")),
            "country_iso3",
            "stage",
            "year",
            "capacity_t",
            "year_end_capacity_t",
            "plants",
            "production_t",
            "utilisation_pct",
            "idle_capacity_t",
            "demand_t",
            "demand_stage",
            "overcapacity_ratio",
            "excess_capacity_t",
            "overcapacity",
            "overcapacity_threshold"),
        TOL);
    Row chn = out.filter(col("country_iso3").equalTo("CHN")).first();
    double ratio = chn.getAs("overcapacity_ratio");
    assertEquals(1.103, ratio, 5e-4);
    assertEquals(16.0 / 14.5, ratio, 1e-9);
    assertEquals(1_500_000.0, (double) chn.getAs("excess_capacity_t"), 1e-6);

    // Peru's mine capacity: a refinery balance is no demand for mines
    assertRows(
        List.<Object[]>of(
            row("PER", "mine", 2_000_000.0, 1_800_000.0, 90.0, null, null, null, null, null)),
        rows(
            out.filter(col("country_iso3").equalTo("PER")),
            "country_iso3",
            "stage",
            "capacity_t",
            "production_t",
            "utilisation_pct",
            "demand_t",
            "demand_stage",
            "overcapacity_ratio",
            "excess_capacity_t",
            "overcapacity"),
        TOL);
  }

  @Test
  void overcapacityFollowsTheThreshold() {
    // 16 / 14.5 = 1.1034: above 1.0 and 1.1, not above 1.2
    assertEquals(true, chinaOvercapacity(1.0));
    assertEquals(true, chinaOvercapacity(1.1));
    assertEquals(false, chinaOvercapacity(1.2));
  }

  private static Boolean chinaOvercapacity(double threshold) {
    Row r =
        speech(threshold)
            .filter(col("country_iso3").equalTo("CHN"))
            .select("overcapacity", "overcapacity_threshold")
            .first();
    assertEquals(threshold, r.getDouble(1), 0.0);
    return r.isNullAt(0) ? null : r.getBoolean(0);
  }

  // ------------------------------------------------------------------------------- guards

  @Test
  void utilisationIsNotCappedAndDenominatorsAreGuarded() {
    Dataset<Row> plants =
        plants(
            // ZMB: 100 kt from January 2024, producing 105 kt; demand 0
            plant("Z1", "ZMB", null, "refinery", "operating", 100_000, 2024, 1, null, null),
            // COD: only a plant under construction, expected June 2024; production and demand
            plant("K1", "COD", null, "refinery", "under_construction", 50_000, 2024, 6, null, null),
            // CHL: capacity, no production, no demand
            always("C1", "CHL", "refinery", 200_000));
    Dataset<Row> countryCap =
        df(
            COUNTRY_CAPACITY_DDL,
            // PER: a published capacity of zero, with production and demand
            countryCapacity("usgs-mcs", "PER", null, "smelter", 2024, 0.0));
    Dataset<Row> prod =
        df(
            PRODUCTION_DDL,
            production("bureau", "ZMB", "refinery", 2024, 105_000),
            production("bureau", "COD", "refinery", 2024, 20_000),
            production("bureau", "PER", "smelter", 2024, 15_000));
    Dataset<Row> balance =
        df(
            BALANCE_DDL,
            demand("ZMB", "refinery", 2024, 0.0),
            demand("COD", "refinery", 2024, 10_000),
            demand("PER", "refinery", 2024, 1_000));
    Dataset<Row> out =
        CapacityUtilisation.compute(
                plants, countryCap, prod, balance, List.of(), List.of("bureau"), 1.0)
            .cache();
    assertRows(
        List.of(
            // 105 000 / 100 000 * 100 = 105 %, not capped at 100; idle 100 000 - 105 000;
            // demand 0: no ratio and no flag, excess 100 000 - 0
            row("ZMB", 100_000.0, 105_000.0, 105.0, -5_000.0, 0.0, null, 100_000.0, null),
            // no operating capacity: no utilisation, no idle capacity, no ratio, no excess
            row("COD", null, 20_000.0, null, null, 10_000.0, null, null, null),
            // no production and no demand: nothing computed on them
            row("CHL", 200_000.0, null, null, null, null, null, null, null)),
        rows(
            out.filter(col("country_iso3").isin("ZMB", "COD", "CHL")),
            "country_iso3",
            "capacity_t",
            "production_t",
            "utilisation_pct",
            "idle_capacity_t",
            "demand_t",
            "overcapacity_ratio",
            "excess_capacity_t",
            "overcapacity"),
        TOL);
    // PER's published capacity of zero never gives a utilisation (no division by zero): any
    // PER row there is has utilisation_pct null
    for (Object[] r : rows(out.filter(col("country_iso3").equalTo("PER")), "utilisation_pct")) {
      assertNull(r[0], "utilisation on zero capacity");
    }
    // no ratio anywhere is NaN or infinite
    for (Object[] r : rows(out, "utilisation_pct", "overcapacity_ratio")) {
      for (Object v : r) {
        assertTrue(v == null || Double.isFinite((Double) v), "finite or null: " + v);
      }
    }
    out.unpersist();
  }

  @Test
  void withoutOptionalInputs() {
    // plants alone: no production, no demand, no exception
    Dataset<Row> plantsOnly =
        CapacityUtilisation.compute(
            plants(plant("A", "AUS", null, "smelter", "operating", 120_000, 2024, 4, null, null)),
            null,
            null,
            null,
            List.of(),
            List.of(),
            1.0);
    assertRows(
        List.<Object[]>of(row("AUS", 2024, 90_000.0, null, null, null, null, null)),
        rows(
            plantsOnly,
            "country_iso3",
            "year",
            "capacity_t",
            "production_t",
            "utilisation_pct",
            "demand_t",
            "overcapacity_ratio",
            "overcapacity"),
        TOL);
    // country figures alone
    Dataset<Row> countryOnly =
        CapacityUtilisation.compute(
            null,
            df(
                COUNTRY_CAPACITY_DDL,
                countryCapacity("usgs-mcs", "PER", null, "refinery", 2024, 300_000)),
            null,
            null,
            List.of(),
            List.of(),
            1.0);
    assertRows(
        List.<Object[]>of(row("PER", 2024, 300_000.0, null, null, "country_reported", "usgs-mcs")),
        rows(
            countryOnly,
            "country_iso3",
            "year",
            "capacity_t",
            "year_end_capacity_t",
            "plants",
            "capacity_method",
            "capacity_source"),
        TOL);
  }

  // ----------------------------------------------------------------------------- pipeline

  @Test
  void pipelineIsReportedInItsExpectedYearOnly() {
    Dataset<Row> plants =
        plants(
            always("O1", "CHL", "smelter", 100_000),
            plant("U1", "CHL", null, "smelter", "under_construction", 200_000, 2025, 6, null, null),
            plant("P1", "CHL", null, "smelter", "planned", 300_000, 2026, 1, null, null),
            // a country with nothing but a planned plant
            plant("P2", "PER", null, "smelter", "planned", 150_000, 2026, 1, null, null));
    // production in 2024 takes the years reported back to 2024
    Dataset<Row> prod = df(PRODUCTION_DDL, production("bureau", "CHL", "smelter", 2024, 90_000));
    Dataset<Row> out =
        CapacityUtilisation.compute(plants, null, prod, null, List.of(), List.of(), 1.0);
    assertRows(
        List.of(
            // capacity is O1's 100 000 every year: the pipeline never adds to it
            row("CHL", 2024, 100_000.0, 100_000.0, null, null, null, 1L),
            // U1 in 2025 only (not before, and it is no capacity after)
            row("CHL", 2025, 100_000.0, 100_000.0, 200_000.0, null, 200_000.0, 1L),
            // P1 in 2026 only
            row("CHL", 2026, 100_000.0, 100_000.0, null, 300_000.0, 300_000.0, 1L),
            // no operating plant: no capacity, the planned 150 000 in 2026
            row("PER", 2026, null, null, null, 150_000.0, 150_000.0, null)),
        rows(
            out,
            "country_iso3",
            "year",
            "capacity_t",
            "year_end_capacity_t",
            "under_construction_t",
            "planned_t",
            "pipeline_capacity_t",
            "plants"),
        TOL);
    assertRows(
        List.<Object[]>of(row("PER", 2026, PLANT_SOURCE)),
        rows(
            out.filter(col("country_iso3").equalTo("PER")),
            "country_iso3",
            "year",
            "pipeline_source"),
        TOL);
  }

  // ------------------------------------------------------------------------ source choice

  /**
   * CHL refinery 2024: plants of 600 + 400 kt and a USGS country figure of 900 kt (and a regional
   * figure, never used). PER refinery 2024: only the USGS figure, 300 kt. Production from USGS and
   * from a national bureau, the bureau listed first.
   */
  static Dataset<Row> sourceChoice(List<String> capacityPriority) {
    Dataset<Row> plants =
        plants(always("R1", "CHL", "refinery", 600_000), always("R2", "CHL", "refinery", 400_000));
    Dataset<Row> countryCap =
        df(
            COUNTRY_CAPACITY_DDL,
            countryCapacity("usgs-mcs", "CHL", null, "refinery", 2024, 900_000),
            countryCapacity("usgs-mcs", "CHL", "Antofagasta", "refinery", 2024, 500_000),
            countryCapacity("usgs-mcs", "PER", null, "refinery", 2024, 300_000));
    Dataset<Row> prod =
        df(
            PRODUCTION_DDL,
            production("usgs-mcs", "CHL", "refinery", 2024, 810_000),
            production("bureau", "CHL", "refinery", 2024, 850_000),
            production("usgs-mcs", "PER", "refinery", 2024, 240_000),
            production("bureau", "PER", "refinery", 2024, 250_000));
    return CapacityUtilisation.compute(
        plants, countryCap, prod, null, capacityPriority, List.of("bureau", "usgs-mcs"), 1.0);
  }

  static final String[] SOURCE_COLUMNS = {
    "country_iso3",
    "year",
    "capacity_t",
    "capacity_method",
    "capacity_source",
    "plants",
    "year_end_capacity_t",
    "production_t",
    "production_source",
    "utilisation_pct"
  };

  @Test
  void plantLevelCapacityWinsByDefault() {
    assertRows(
        List.of(
            // 600 000 + 400 000 plant-level before the country's 900 000; the plant list has no
            // production of its own: the bureau's (first in the priority list), 850 / 1000 = 85 %
            row(
                "CHL",
                2024,
                1_000_000.0,
                "plants_prorated",
                PLANT_SOURCE,
                2L,
                1_000_000.0,
                850_000.0,
                "bureau",
                85.0),
            // only the country figure; USGS production goes with USGS capacity although the
            // bureau is listed first: 240 000 / 300 000 = 80 %
            row(
                "PER",
                2024,
                300_000.0,
                "country_reported",
                "usgs-mcs",
                null,
                null,
                240_000.0,
                "usgs-mcs",
                80.0)),
        rows(sourceChoice(List.of()), SOURCE_COLUMNS),
        TOL);
  }

  @Test
  void listedCountrySourceWins() {
    assertRows(
        List.of(
            // usgs-mcs listed: its 900 000 (the national row, not the regional one), with its
            // own production 810 000: 810 / 900 = 90 %
            row(
                "CHL",
                2024,
                900_000.0,
                "country_reported",
                "usgs-mcs",
                null,
                null,
                810_000.0,
                "usgs-mcs",
                90.0),
            row(
                "PER",
                2024,
                300_000.0,
                "country_reported",
                "usgs-mcs",
                null,
                null,
                240_000.0,
                "usgs-mcs",
                80.0)),
        rows(sourceChoice(List.of("usgs-mcs")), SOURCE_COLUMNS),
        TOL);
  }

  // ------------------------------------------------------------------------- equity view

  @Test
  void equityViewCreditsOutputToOwnerCountry() {
    Dataset<Row> plants =
        plants(
            // two plants in the DRC owned by Chinese companies
            plant("E1", "COD", "CHN", "smelter", "operating", 100_000, null, null, null, null),
            // from July 2024: 6 months, 50 000 * 6 / 12 = 25 000 effective
            plant("E2", "COD", "CHN", "smelter", "operating", 50_000, 2024, 7, null, null),
            // one in China owned at home
            plant("E3", "CHN", "CHN", "smelter", "operating", 200_000, null, null, null, null),
            // one in the DRC with no owner country given: the DRC's
            always("E4", "COD", "smelter", 50_000));
    Dataset<Row> utilisation =
        df(
            UTILISATION_DDL,
            row("COD", "CU", "smelter", "metal_content", 2024, 80.0),
            row("CHN", "CU", "smelter", "metal_content", 2024, 90.0));
    Dataset<Row> balance = df(BALANCE_DDL, demand("CHN", "refinery", 2024, 400_000));
    Dataset<Row> prod =
        df(
            PRODUCTION_DDL,
            production("bureau", "CHN", "smelter", 2024, 500_000),
            production("bureau", "COD", "smelter", 2024, 100_000));

    Dataset<Row> out = SupplyConcentration.compute(prod, plants, utilisation, balance);

    // estimated output = effective capacity * host utilisation:
    // E1 100 000 * 80 % = 80 000 (abroad); E2 25 000 * 80 % = 20 000 (abroad);
    // E3 200 000 * 90 % = 180 000 (at home); E4 50 000 * 80 % = 40 000 (DRC's own)
    double chnOverseas = 80_000 + 20_000; // 100 000
    double chn = chnOverseas + 180_000; // 280 000
    double cod = 40_000;
    double world = chn + cod; // 320 000
    double chnShare = chn / world * 100; // 87.5
    double codShare = cod / world * 100; // 12.5
    Dataset<Row> equity = out.filter(col("view").equalTo("equity"));
    assertRows(
        List.of(
            // equity capacity: CHN 100 000 + 25 000 + 200 000; COD 50 000
            row("CHN", chn, 325_000.0, 400_000.0, world, chnShare, 1),
            // no demand row for the DRC
            row("COD", cod, 50_000.0, null, world, codShare, 2)),
        rows(
            equity,
            "country_iso3",
            "production_t",
            "equity_capacity_t",
            "demand_t",
            "world_total_t",
            "share_pct",
            "rank"),
        TOL);
    // China's companies abroad: 100 000 t, covering 100 000 / 400 000 * 100 = 25 % of its
    // refined copper demand (the refinery balance stands for smelter output)
    assertRows(
        List.<Object[]>of(row(chnOverseas, 25.0)),
        rows(
            equity.filter(col("country_iso3").equalTo("CHN")),
            "overseas_production_t",
            "overseas_cover_pct"),
        TOL);
    // the DRC's own plant is at home: nothing abroad (0, not unknown); every plant had a rate
    assertRows(
        List.<Object[]>of(row("CHN", chnOverseas, 0L), row("COD", 0.0, 0L)),
        rows(equity, "country_iso3", "overseas_production_t", "plants_unrated"),
        TOL);
    // 87.5² + 12.5² = 7656.25 + 156.25 = 7812.5
    assertRows(
        List.<Object[]>of(
            row(PLANT_SOURCE, "CU", "smelter", 2024, "2024", chnShare, 7812.5, 2L, false)),
        rows(
            equity.filter(col("country_iso3").equalTo("CHN")),
            "source",
            "metal",
            "stage",
            "year",
            "period",
            "top1_share_pct",
            "hhi",
            "countries",
            "world_coverage"),
        TOL);
    // the production view is still there beside it: 500 000 + 100 000 by producing country
    assertRows(
        List.of(row("CHN", 500_000.0, 600_000.0), row("COD", 100_000.0, 600_000.0)),
        rows(
            out.filter(col("view").equalTo("production")),
            "country_iso3",
            "production_t",
            "world_total_t"),
        TOL);
  }

  @Test
  void equityViewCountsPlantsWithoutAHostRate() {
    // ZMB has no utilisation in 2024: its plant's output is unknown, its capacity still counted
    Dataset<Row> plants =
        plants(
            always("U1", "COD", "smelter", 100_000),
            plant("U2", "ZMB", "CHN", "smelter", "operating", 40_000, null, null, null, null),
            plant("U3", "COD", "CHN", "smelter", "operating", 60_000, null, null, null, null));
    Dataset<Row> utilisation =
        df(UTILISATION_DDL, row("COD", "CU", "smelter", "metal_content", 2024, 50.0));
    Dataset<Row> prod = df(PRODUCTION_DDL, production("bureau", "COD", "smelter", 2024, 80_000));
    Dataset<Row> equity =
        SupplyConcentration.compute(prod, plants, utilisation, null)
            .filter(col("view").equalTo("equity").and(col("year").equalTo(2024)));
    // CHN: U3 60 000 * 50 % = 30 000 (abroad); U2 unrated. COD: U1 100 000 * 50 % = 50 000.
    assertRows(
        List.<Object[]>of(
            row("CHN", 30_000.0, 100_000.0, 30_000.0, 1L, 30_000.0 / 80_000 * 100),
            row("COD", 50_000.0, 100_000.0, 0.0, 0L, 50_000.0 / 80_000 * 100)),
        rows(
            equity,
            "country_iso3",
            "production_t",
            "equity_capacity_t",
            "overseas_production_t",
            "plants_unrated",
            "share_pct"),
        TOL);
  }
}
