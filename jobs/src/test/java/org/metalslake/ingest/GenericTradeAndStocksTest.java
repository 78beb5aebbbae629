package org.metalslake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.metalslake.testing.TradeFixtures.F_2603;
import static org.metalslake.testing.TradeFixtures.F_7403;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.ref.RefData;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;
import org.metalslake.testing.TradeFixtures;

/**
 * The generic trade and stocks formats, read the pipeline's way with fixture content factors:
 * country names, units, the basis a quantity is given in, flow words, and the reasons bad rows are
 * quarantined with.
 */
class GenericTradeAndStocksTest extends SparkTest {
  private static final double TOL = 1e-9;

  static final List<String> TRADE =
      List.of(
          /* 1 */ "period,reporter,partner,flow,commodity,quantity,unit,basis,value_usd",
          // 10 kt of ores, gross weight: factor applied
          /* 2 */ "2024,Chile,China,export,2603,10,kt,gross,5000000",
          // the same ores given as metal content: the factor is not applied again
          /* 3 */ "2024,China,Chile,import,2603,2500,t,metal_content,",
          // a re-export of copper-zinc alloys; basis empty → gross; heading 7403's factor
          /* 4 */ "2024-03,Chile,USA,re-export,740321,500,t,,",
          /* 5 */ "2024,Atlantis,China,import,2603,1,t,gross,1",
          /* 6 */ "2024,Chile,China,export,2603,abc,t,gross,1",
          /* 7 */ "2024,Chile,China,export,2603,-5,t,gross,1",
          /* 8 */ "2024,Chile,China,export,2603,5,bushels,gross,1",
          /* 9 */ "2024,Chile,Chile,export,2603,5,t,gross,1");

  static final List<String> LEVELS =
      List.of(
          /* 1 */ "period,country,metal,stage,stock_level,unit",
          /* 2 */ "2023,Chile,copper,refinery,12.5,kt",
          /* 3 */ "2024,Chile,Cu,refinery,W,kt",
          /* 4 */ "2024,China,CU,refinery,-3,t");

  static final List<String> CHANGES =
      List.of(
          /* 1 */ "period,country,metal,stage,stock_change,unit",
          // a fall in stocks is a negative change, not an error
          /* 2 */ "2024-06,United States,copper,mine,-1.5,kt");

  @TempDir static Path dir;

  private static RefData ref;

  @BeforeAll
  static void loadRef() {
    ref = TradeFixtures.ref(spark(), dir.resolve("ref"));
  }

  @Test
  void genericTrade() {
    Path f = TradeFixtures.write(dir, "trade", "trade.csv", TRADE);
    assertEquals("generic-trade", TradeFixtures.detect(spark(), f).name());
    Dataset<Row> out = TradeFixtures.ingest(spark(), f, ref, Tables.TRADE_FLOWS).cache();

    assertRows(
        List.of(
            // 10 kt * 1000 = 10 000 t gross; metal 10 000 * 0.25
            row(
                2L,
                "CHL",
                "CHN",
                "X",
                "2603",
                "gross",
                "2024",
                10 * 1000.0,
                F_2603,
                10 * 1000.0 * F_2603,
                5_000_000.0,
                "kt"),
            // metal_content as given: no gross weight, no factor
            row(
                3L,
                "CHN",
                "CHL",
                "M",
                "2603",
                "metal_content",
                "2024",
                null,
                null,
                2500.0,
                null,
                "t"),
            // 500 t gross * 0.8 (740321 falls back to heading 7403)
            row(
                4L,
                "CHL",
                "USA",
                "RX",
                "740321",
                "gross",
                "2024-03",
                500.0,
                F_7403,
                500 * F_7403,
                null,
                "t")),
        rows(
            out.filter(col("_reason").isNull()),
            "_line",
            "reporter_iso3",
            "partner_iso3",
            "flow",
            "commodity_code",
            "basis",
            "period",
            "gross_t",
            "content_factor",
            "metal_content_t",
            "value_usd",
            "unit_reported"),
        TOL);

    assertReasons(
        out,
        List.of(
            row(5L, "unknown reporter 'Atlantis'"),
            row(6L, "unparseable number 'abc'"),
            row(7L, "negative quantity or value"),
            row(8L, "unknown unit 'bushels'"),
            row(9L, "reporter and partner are the same country")));
    assertEquals(TRADE.size() - 1, out.count(), "one row per record");
    out.unpersist();
  }

  @Test
  void configuredContentFactorReplacesTheReferenceOne() {
    Path f = TradeFixtures.write(dir, "override", "trade.csv", TRADE.subList(0, 2));
    RefData overridden = ref.withContentFactors(Map.of("2603", 0.3));
    Dataset<Row> out = TradeFixtures.ingest(spark(), f, overridden, Tables.TRADE_FLOWS);
    // 10 kt = 10 000 t gross at the configured 0.3 instead of the reference 0.25
    assertRows(
        List.<Object[]>of(row(2L, 10 * 1000.0, 0.3, 10 * 1000.0 * 0.3)),
        rows(out, "_line", "gross_t", "content_factor", "metal_content_t"),
        TOL);
  }

  @Test
  void genericStockLevels() {
    Path f = TradeFixtures.write(dir, "levels", "stocks.csv", LEVELS);
    assertEquals("generic-stocks", TradeFixtures.detect(spark(), f).name());
    Dataset<Row> out = TradeFixtures.ingest(spark(), f, ref, Tables.STOCKS).cache();
    assertRows(
        List.of(
            // 12.5 kt * 1000
            row(
                2L,
                "CHL",
                "CU",
                "refinery",
                "total",
                "metal_content",
                "2023",
                12.5 * 1000,
                null,
                null),
            // W: withheld, no level, flag W, not an error
            row(3L, "CHL", "CU", "refinery", "total", "metal_content", "2024", null, null, "W")),
        rows(
            out.filter(col("_reason").isNull()),
            "_line",
            "country_iso3",
            "metal",
            "stage",
            "series",
            "basis",
            "period",
            "stock_level_t",
            "stock_change_t",
            "flags"),
        TOL);
    assertReasons(out, List.<Object[]>of(row(4L, "negative stock level")));
    out.unpersist();
  }

  @Test
  void genericStockChanges() {
    Path f = TradeFixtures.write(dir, "changes", "stock_changes.csv", CHANGES);
    assertEquals("generic-stocks", TradeFixtures.detect(spark(), f).name());
    Dataset<Row> out = TradeFixtures.ingest(spark(), f, ref, Tables.STOCKS);
    assertRows(
        // -1.5 kt * 1000: a decrease of 1500 t
        List.<Object[]>of(row(2L, "USA", "CU", "mine", "2024-06", "M", null, -1.5 * 1000, null)),
        rows(
            out,
            "_line",
            "country_iso3",
            "metal",
            "stage",
            "period",
            "freq",
            "stock_level_t",
            "stock_change_t",
            "_reason"),
        TOL);
  }

  /** Every quarantined row is an error whose reason contains the expected text. */
  static void assertReasons(Dataset<Row> out, List<Object[]> expected) {
    List<Object[]> actual =
        rows(out.filter(col("_reason").isNotNull()), "_line", "_severity", "_reason");
    assertEquals(expected.size(), actual.size(), "quarantined rows: " + render(actual));
    for (Object[] e : expected) {
      Object[] a =
          actual.stream()
              .filter(r -> r[0].equals(e[0]))
              .findFirst()
              .orElseThrow(() -> new AssertionError("line " + e[0] + " not quarantined"));
      assertEquals("error", a[1], "severity of line " + e[0] + ": " + a[2]);
      assertTrue(
          ((String) a[2]).contains((String) e[1]),
          "reason of line " + e[0] + " says '" + e[1] + "': " + a[2]);
    }
  }

  static String render(List<Object[]> rows) {
    StringBuilder sb = new StringBuilder();
    for (Object[] r : rows) {
      sb.append(java.util.Arrays.deepToString(r)).append('\n');
    }
    return sb.toString();
  }
}
