package org.metalslake.conform;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.ref.RefData;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;
import org.metalslake.testing.TradeFixtures;

/**
 * The generic plant-level capacity format read the pipeline's way (Landing, header detection,
 * Bronze, {@link CapacityConformer}): units with a per-year suffix, status aliases, dates of one,
 * two or three parts, owner countries, country names with a qualifier, and the reason each bad
 * record is quarantined with. Every input line ends as exactly one fact or one quarantine row.
 */
class CapacityConformerTest extends SparkTest {
  private static final double TOL = 1e-9;

  static final List<String> PLANTS =
      List.of(
          /* 1 */ "plant_id,plant,company,owner_country,country,region,metal,stage,capacity,unit,"
              + "status,start_date,end_date",
          // no owner country: the plant's own country, owner_given false; 450 kt = 450 000 t
          /* 2 */ "P1,Jinguan,Tongling Nonferrous,,China,Anhui,copper,smelter,450,kt,operating,"
              + "2012,",
          // Congo (Kinshasa) is the DRC (not Congo, Brazzaville); ktpa = kt a year: 300 000 t
          /* 3 */ "P2,Kamoto,KCC,China,Congo (Kinshasa),Lualaba,copper,refinery,300,ktpa,"
              + "in operation,2015-06,",
          // Mt/y: 1.2 * 1 000 000 = 1 200 000 t; a YYYY-MM-DD date keeps its month (3)
          /* 4 */ "P3,Escondida,BHP,Australia,Chile,,Cu,mine,1.2,Mt/y,operational,1990-03-15,",
          // kt/y: 150 000 t; shut down = closed; end YYYY-MM keeps its month (6)
          /* 5 */ "P4,Old smelter,,,Zambia,,copper,smelter,150,kt/y,Shut down,1970,2019-06",
          // t per year: 85 000 t; expected start July 2026
          /* 6 */ "P5,Kakula West,Ivanhoe,Canada,DRC,,copper,mine,85000,t per year,"
              + "Under construction,2026-07-31,",
          // 0.1 Mt = 100 000 t; proposed = planned; start only a year → month 1
          /* 7 */ "P6,Project X,,,Peru,,copper,refinery,0.1,Mt,proposed,2028,",
          // decommissioned = closed; end only a year → last month 12
          /* 8 */ "P7,Closed Y,,,Chile,,copper,refinery,40,kt,decommissioned,2001-02,2020",
          // the canonical spellings, with an underscore
          /* 9 */ "P8,Phase 2,,,Peru,,copper,mine,25,kt,under_construction,2027-09,",
          /* 10 */ "P9,Shut,,,Peru,,copper,smelter,10,kt,closed,2000,2010-12-31",
          // bad records: one reason each
          /* 11 */ ",Nameless,,,Chile,,copper,smelter,10,kt,operating,2010,",
          /* 12 */ "B2,Lost,,,Atlantis,,copper,smelter,10,kt,operating,2010,",
          /* 13 */ "B3,Idle,,,Chile,,copper,smelter,10,kt,mothballed,2010,",
          /* 14 */ "B4,Minus,,,Chile,,copper,smelter,-10,kt,operating,2010,",
          /* 15 */ "B5,Words,,,Chile,,copper,smelter,ten,kt,operating,2010,",
          /* 16 */ "B6,Month 13,,,Chile,,copper,smelter,10,kt,operating,2024-13,",
          /* 17 */ "B7,Backwards,,,Chile,,copper,smelter,10,kt,closed,2020-06,2020-05",
          /* 18 */ "B8,No end,,,Chile,,copper,smelter,10,kt,closed,2010,",
          /* 19 */ "B9,No start,,,Chile,,copper,smelter,10,kt,planned,,",
          /* 20 */ "B10,Bushels,,,Chile,,copper,smelter,10,bushels,operating,2010,");

  @TempDir static Path dir;

  private static Dataset<Row> out;

  @BeforeAll
  static void ingest() {
    RefData ref = TradeFixtures.ref(spark(), dir.resolve("ref"));
    Path f = TradeFixtures.write(dir, "capacity", "plants.csv", PLANTS);
    assertEquals("generic-capacity", TradeFixtures.detect(spark(), f).name());
    out = TradeFixtures.ingest(spark(), f, ref, Tables.CAPACITY).cache();
  }

  @AfterAll
  static void release() {
    out.unpersist();
  }

  @Test
  void goodRecordsBecomeFacts() {
    assertRows(
        List.of(
            row(2L, "P1", "CHN", "CHN", false, "CU", "smelter", "operating", 450 * 1000.0, "kt"),
            row(3L, "P2", "COD", "CHN", true, "CU", "refinery", "operating", 300 * 1000.0, "kt"),
            row(4L, "P3", "CHL", "AUS", true, "CU", "mine", "operating", 1.2 * 1_000_000, "Mt"),
            row(5L, "P4", "ZMB", "ZMB", false, "CU", "smelter", "closed", 150 * 1000.0, "kt"),
            row(6L, "P5", "COD", "CAN", true, "CU", "mine", "under_construction", 85000 * 1.0, "t"),
            row(7L, "P6", "PER", "PER", false, "CU", "refinery", "planned", 0.1 * 1_000_000, "Mt"),
            row(8L, "P7", "CHL", "CHL", false, "CU", "refinery", "closed", 40 * 1000.0, "kt"),
            row(
                9L,
                "P8",
                "PER",
                "PER",
                false,
                "CU",
                "mine",
                "under_construction",
                25 * 1000.0,
                "kt"),
            row(10L, "P9", "PER", "PER", false, "CU", "smelter", "closed", 10 * 1000.0, "kt")),
        rows(
            out.filter(col("_reason").isNull()),
            "_line",
            "plant_id",
            "country_iso3",
            "owner_iso3",
            "owner_given",
            "metal",
            "stage",
            "status",
            "capacity_t",
            "unit_reported"),
        TOL);
  }

  @Test
  void datesGiveYearAndMonth() {
    assertRows(
        List.of(
            // "2012": start month 1, no end
            row(2L, 2012, 1, null, null),
            // "2015-06"
            row(3L, 2015, 6, null, null),
            // "1990-03-15": the day is dropped, the month kept
            row(4L, 1990, 3, null, null),
            // "1970" to "2019-06"
            row(5L, 1970, 1, 2019, 6),
            // "2026-07-31"
            row(6L, 2026, 7, null, null),
            // "2028": month 1
            row(7L, 2028, 1, null, null),
            // "2001-02" to "2020": an end year alone is its last month, 12
            row(8L, 2001, 2, 2020, 12),
            row(9L, 2027, 9, null, null),
            // "2000" to "2010-12-31"
            row(10L, 2000, 1, 2010, 12)),
        rows(
            out.filter(col("_reason").isNull()),
            "_line",
            "start_year",
            "start_month",
            "end_year",
            "end_month"),
        TOL);
  }

  @Test
  void optionalColumnsAndDefaults() {
    // region kept when given, null when empty; no basis/source/release columns: metal_content,
    // "unspecified", null; plant and company null when empty
    assertRows(
        List.of(
            row(2L, "Jinguan", "Tongling Nonferrous", "Anhui", "metal_content", "unspecified"),
            row(3L, "Kamoto", "KCC", "Lualaba", "metal_content", "unspecified"),
            row(5L, "Old smelter", null, null, "metal_content", "unspecified")),
        rows(
            out.filter(col("_line").isin(2L, 3L, 5L)),
            "_line",
            "plant",
            "company",
            "region",
            "basis",
            "source"),
        TOL);
    assertEquals(0L, out.filter(col("release").isNotNull()).count());
  }

  @Test
  void badRecordsAreQuarantinedWithTheirReason() {
    assertRows(
        List.of(
            row(11L, "missing plant_id", "error"),
            row(12L, "unknown country 'Atlantis'", "error"),
            row(
                13L,
                "unknown status 'mothballed' (operating, under construction, planned or closed)",
                "error"),
            row(14L, "negative capacity", "error"),
            row(15L, "unparseable capacity 'ten'", "error"),
            row(16L, "impossible start_date '2024-13' (YYYY, YYYY-MM or YYYY-MM-DD)", "error"),
            row(17L, "end_date before start_date", "error"),
            row(18L, "a closed plant needs its end_date", "error"),
            row(
                19L,
                "a planned or under-construction plant needs its expected start_date",
                "error"),
            row(20L, "unknown unit 'bushels'", "error")),
        rows(out.filter(col("_reason").isNotNull()), "_line", "_reason", "_severity"),
        TOL);
  }

  @Test
  void everyLineIsOneFactOrOneQuarantineRow() {
    // 19 records (20 lines less the header): 9 facts and 10 quarantined
    assertEquals(PLANTS.size() - 1, out.count(), "one row per record");
    assertEquals(PLANTS.size() - 1, out.select("_line").distinct().count(), "no line twice");
    assertEquals(9, out.filter(col("_reason").isNull()).count());
    assertEquals(10, out.filter(col("_reason").isNotNull()).count());
    // a fact never has a severity; a quarantined row always does
    assertEquals(0, out.filter(col("_reason").isNull().and(col("_severity").isNotNull())).count());
  }
}
