package org.metalslake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.metalslake.testing.TradeFixtures.F_2603;
import static org.metalslake.testing.TradeFixtures.F_2605;
import static org.metalslake.testing.TradeFixtures.F_7403;
import static org.metalslake.testing.TradeFixtures.F_740311;
import static org.metalslake.testing.TradeFixtures.F_7404;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * A Comtrade+ bulk CSV as downloaded, read the pipeline's way (Landing, header, Formats.detect,
 * Bronze.read, conform) with fixture content factors: which rows are facts, which are skipped or
 * errors, and the weights and metal content of the facts.
 */
class ComtradeFormatTest extends SparkTest {
  private static final double TOL = 1e-9;

  static final List<String> HEADER =
      List.of(
          "typeCode",
          "freqCode",
          "refPeriodId",
          "refYear",
          "refMonth",
          "period",
          "reporterCode",
          "reporterISO",
          "reporterDesc",
          "flowCode",
          "flowDesc",
          "partnerCode",
          "partnerISO",
          "partnerDesc",
          "partner2Code",
          "partner2ISO",
          "partner2Desc",
          "classificationCode",
          "cmdCode",
          "cmdDesc",
          "aggrLevel",
          "isLeaf",
          "customsCode",
          "mosCode",
          "motCode",
          "qtyUnitCode",
          "qtyUnitAbbr",
          "qty",
          "netWgt",
          "grossWgt",
          "cifvalue",
          "fobvalue",
          "primaryValue",
          "isReported",
          "isAggregate");

  /**
   * A monthly total import of the United States (842) from Chile (152) of copper ores (2603) in
   * January 2024: all modes of transport, all customs procedures, all second partners.
   */
  static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("typeCode", "C");
    m.put("freqCode", "M");
    m.put("refPeriodId", "20240101");
    m.put("refYear", "2024");
    m.put("refMonth", "1");
    m.put("period", "202401");
    m.put("reporterCode", "842");
    m.put("reporterISO", "USA");
    m.put("reporterDesc", "USA");
    m.put("flowCode", "M");
    m.put("flowDesc", "Import");
    m.put("partnerCode", "152");
    m.put("partnerISO", "CHL");
    m.put("partnerDesc", "Chile");
    m.put("partner2Code", "0");
    m.put("partner2ISO", "W00");
    m.put("partner2Desc", "World");
    m.put("classificationCode", "H6");
    m.put("cmdCode", "2603");
    m.put("cmdDesc", "Copper ores and concentrates");
    m.put("aggrLevel", "4");
    m.put("isLeaf", "1");
    m.put("customsCode", "C00");
    m.put("mosCode", "0");
    m.put("motCode", "0");
    m.put("qtyUnitCode", "8");
    m.put("qtyUnitAbbr", "kg");
    m.put("qty", "4000000");
    m.put("netWgt", "4000000");
    m.put("grossWgt", "4000000");
    m.put("cifvalue", "10000000");
    m.put("fobvalue", "");
    m.put("primaryValue", "10000000");
    m.put("isReported", "true");
    m.put("isAggregate", "false");
    return m;
  }

  /** One CSV line: the default record with some fields replaced (name, value, name, value…). */
  static String rec(String... kv) {
    Map<String, String> m = defaults();
    for (int i = 0; i < kv.length; i += 2) {
      if (!m.containsKey(kv[i])) {
        throw new IllegalArgumentException("no Comtrade column " + kv[i]);
      }
      m.put(kv[i], kv[i + 1]);
    }
    List<String> out = new ArrayList<>();
    for (String h : HEADER) {
      out.add(m.get(h));
    }
    return String.join(",", out);
  }

  /** Physical lines; line 1 is the header, the comment gives each line's number. */
  static final List<String> LINES =
      List.of(
          /* 1 */ String.join(",", HEADER),
          /* 2 total row: 4 000 000 kg of 2603 from Chile */
          rec(),
          /* 3 the sea-freight part of the total */
          rec("motCode", "2100", "qty", "3000000", "netWgt", "3000000"),
          /* 4 one customs procedure */
          rec("customsCode", "C01", "netWgt", "1000000"),
          /* 5 second partner China */
          rec("partner2Code", "156", "partner2ISO", "CHN", "partner2Desc", "China"),
          /* 6 World total of cathodes */
          rec(
              "partnerCode",
              "0",
              "partnerISO",
              "W00",
              "partnerDesc",
              "World",
              "cmdCode",
              "740311",
              "cmdDesc",
              "Cathodes",
              "aggrLevel",
              "6",
              "qty",
              "2500000",
              "netWgt",
              "2500000",
              "primaryValue",
              "22000000"),
          /* 7 no net weight and qty 0: the weight is missing, not zero */
          rec(
              "partnerCode",
              "604",
              "partnerISO",
              "PER",
              "partnerDesc",
              "Peru",
              "qty",
              "0",
              "netWgt",
              "",
              "grossWgt",
              "",
              "primaryValue",
              "5000"),
          /* 8 no net weight but qty in kg (qtyUnitCode 8) */
          rec(
              "partnerCode",
              "604",
              "partnerISO",
              "PER",
              "partnerDesc",
              "Peru",
              "cmdCode",
              "7404",
              "cmdDesc",
              "Copper scrap",
              "qty",
              "300000",
              "netWgt",
              "",
              "grossWgt",
              "",
              "primaryValue",
              "1500000"),
          /* 9 an annual figure: 2605 cobalt ores from China */
          rec(
              "freqCode",
              "A",
              "refMonth",
              "52",
              "period",
              "2024",
              "partnerCode",
              "156",
              "partnerISO",
              "CHN",
              "partnerDesc",
              "China",
              "cmdCode",
              "2605",
              "cmdDesc",
              "Cobalt ores",
              "qty",
              "1000000",
              "netWgt",
              "1000000",
              "primaryValue",
              "900000"),
          /* 10 re-export */
          rec(
              "flowCode",
              "RX",
              "flowDesc",
              "Re-export",
              "cmdCode",
              "740311",
              "aggrLevel",
              "6",
              "qty",
              "1000",
              "netWgt",
              "1000",
              "primaryValue",
              "9000"),
          /* 11 re-import */
          rec(
              "flowCode",
              "RM",
              "flowDesc",
              "Re-import",
              "cmdCode",
              "740311",
              "aggrLevel",
              "6",
              "qty",
              "2000",
              "netWgt",
              "2000",
              "primaryValue",
              "18000"),
          /* 12 import for inward processing: not a flow the balance uses */
          rec("flowCode", "MIP", "flowDesc", "Import of goods for inward processing"),
          /* 13 a code inside chapter 74 that the reference does not know */
          rec("cmdCode", "749999", "cmdDesc", "Unknown copper article", "aggrLevel", "6"),
          /* 14 rice: outside the chapters covered */
          rec("cmdCode", "100630", "cmdDesc", "Rice", "aggrLevel", "6"),
          /* 15 chapter 74 as a whole */
          rec(
              "cmdCode",
              "74",
              "cmdDesc",
              "Copper and articles thereof",
              "aggrLevel",
              "2",
              "isLeaf",
              ""),
          /* 16 heading 7403 marked as not the most detailed code: a fact at its own code (gold
          never adds it to its subcodes, see TradeTotalsTest) */
          rec("cmdCode", "7403", "cmdDesc", "Refined copper", "isLeaf", "0"),
          /* 17 no net weight, qty in number of items (qtyUnitCode 5): weight missing */
          rec(
              "cmdCode",
              "740311",
              "aggrLevel",
              "6",
              "qtyUnitCode",
              "5",
              "qtyUnitAbbr",
              "u",
              "qty",
              "500",
              "netWgt",
              "",
              "grossWgt",
              "",
              "primaryValue",
              "7000"),
          /* 18 copper-zinc alloys: no 6-digit row, so heading 7403's factor */
          rec(
              "cmdCode",
              "740321",
              "cmdDesc",
              "Brass",
              "aggrLevel",
              "6",
              "qty",
              "10000",
              "netWgt",
              "10000",
              "primaryValue",
              "80000"));

  @TempDir static Path dir;

  private static RefData ref;
  private static Dataset<Row> out;

  @BeforeAll
  static void ingest() {
    ref = TradeFixtures.ref(spark(), dir.resolve("ref"));
    Path f = TradeFixtures.write(dir, "comtrade", "TradeData_USA_2024.csv", LINES);
    out = TradeFixtures.ingest(spark(), f, ref, Tables.TRADE_FLOWS).cache();
  }

  @AfterAll
  static void release() {
    out.unpersist();
  }

  @Test
  void detectsComtrade() {
    Path f = TradeFixtures.write(dir, "detect", "TradeData_USA_2024.csv", LINES);
    assertEquals("comtrade", TradeFixtures.detect(spark(), f).name());
  }

  @Test
  void onlyTotalRowsWithWeightsAreFacts() {
    Dataset<Row> facts =
        out.filter(col("_reason").isNull().and(col("weight_missing").equalTo(false)));
    assertRows(
        List.of(
            // 4 000 000 kg / 1000 = 4000 t gross; metal 4000 t * 0.25
            row(
                2L,
                "USA",
                "CHL",
                "country",
                "M",
                "2603",
                "CU",
                "mine",
                "2024-01",
                "M",
                4_000_000 / 1000.0,
                F_2603,
                4_000_000 / 1000.0 * F_2603,
                10_000_000.0),
            // partner 0 is the World total; 2 500 000 kg = 2500 t of cathodes at factor 1
            row(
                6L,
                "USA",
                "WLD",
                "world",
                "M",
                "740311",
                "CU",
                "refinery",
                "2024-01",
                "M",
                2_500_000 / 1000.0,
                F_740311,
                2_500_000 / 1000.0 * F_740311,
                22_000_000.0),
            // netWgt empty, qty 300 000 kg used: 300 t of scrap at 0.9
            row(
                8L,
                "USA",
                "PER",
                "country",
                "M",
                "7404",
                "CU",
                "scrap",
                "2024-01",
                "M",
                300_000 / 1000.0,
                F_7404,
                300_000 / 1000.0 * F_7404,
                1_500_000.0),
            // annual: freqCode A, period 2024; 1 000 000 kg of cobalt ores at 0.1
            row(
                9L,
                "USA",
                "CHN",
                "country",
                "M",
                "2605",
                "CO",
                "mine",
                "2024",
                "A",
                1_000_000 / 1000.0,
                F_2605,
                1_000_000 / 1000.0 * F_2605,
                900_000.0),
            // re-export and re-import keep their codes
            row(
                10L,
                "USA",
                "CHL",
                "country",
                "RX",
                "740311",
                "CU",
                "refinery",
                "2024-01",
                "M",
                1000 / 1000.0,
                F_740311,
                1000 / 1000.0 * F_740311,
                9000.0),
            row(
                11L,
                "USA",
                "CHL",
                "country",
                "RM",
                "740311",
                "CU",
                "refinery",
                "2024-01",
                "M",
                2000 / 1000.0,
                F_740311,
                2000 / 1000.0 * F_740311,
                18000.0),
            // heading 7403 (isLeaf 0) at its heading's factor 0.8: 4000 t gross, 3200 t copper
            row(
                16L,
                "USA",
                "CHL",
                "country",
                "M",
                "7403",
                "CU",
                "refinery",
                "2024-01",
                "M",
                4_000_000 / 1000.0,
                F_7403,
                4_000_000 / 1000.0 * F_7403,
                10_000_000.0),
            // 740321 has no row of its own: heading 7403's factor 0.8
            row(
                18L,
                "USA",
                "CHL",
                "country",
                "M",
                "740321",
                "CU",
                "refinery",
                "2024-01",
                "M",
                10_000 / 1000.0,
                F_7403,
                10_000 / 1000.0 * F_7403,
                80_000.0)),
        rows(
            facts,
            "_line",
            "reporter_iso3",
            "partner_iso3",
            "partner_kind",
            "flow",
            "commodity_code",
            "metal",
            "stage",
            "period",
            "freq",
            "gross_t",
            "content_factor",
            "metal_content_t",
            "value_usd"),
        TOL);
    assertRows(
        List.<Object[]>of(row("comtrade", "gross", "H6", "kg")),
        rows(facts.select("source", "basis", "hs_vintage", "unit_reported").distinct()),
        TOL);
    assertRows(
        List.of(row(2024, 1, 1), row(2024, null, 12)),
        rows(facts.select("year", "month", "months_covered").distinct()),
        TOL);
  }

  @Test
  void missingWeightIsNotZero() {
    Dataset<Row> missing = out.filter(col("_reason").isNull().and(col("weight_missing")));
    assertRows(
        List.of(
            // netWgt empty and qty 0: missing, the value kept
            row(7L, "PER", "2603", null, null, true, 5000.0),
            // netWgt empty and qty 500 items (not kg): missing
            row(17L, "CHL", "740311", null, null, true, 7000.0)),
        rows(
            missing,
            "_line",
            "partner_iso3",
            "commodity_code",
            "gross_t",
            "metal_content_t",
            "weight_missing",
            "value_usd"),
        TOL);
  }

  @Test
  void breakdownsAggregatesAndUnknownCodesAreQuarantined() {
    List<Object[]> quarantined =
        rows(out.filter(col("_reason").isNotNull()), "_line", "_severity", "_reason");
    List<Object[]> expected =
        List.of(
            row(3L, "skipped", "motCode"),
            row(4L, "skipped", "customsCode"),
            row(5L, "skipped", "partner2Code"),
            row(12L, "skipped", "flow 'MIP' not used"),
            row(13L, "error", "unknown HS code '749999'"),
            row(14L, "skipped", "HS code '100630' outside the metals covered"),
            row(15L, "skipped", "HS aggregate '74'"));
    assertEquals(expected.size(), quarantined.size(), "quarantined rows");
    for (Object[] e : expected) {
      Object[] a =
          quarantined.stream()
              .filter(r -> r[0].equals(e[0]))
              .findFirst()
              .orElseThrow(() -> new AssertionError("line " + e[0] + " not quarantined"));
      assertEquals(e[1], a[1], "severity of line " + e[0] + ": " + a[2]);
      assertTrue(
          ((String) a[2]).contains((String) e[2]),
          "reason of line " + e[0] + " names '" + e[2] + "': " + a[2]);
    }
  }

  @Test
  void everyRecordYieldsOneRow() {
    // 17 data lines (2-18), each exactly one row: Comtrade records are one flow each
    assertEquals(LINES.size() - 1, out.select("_line").distinct().count());
    assertEquals(LINES.size() - 1, out.count());
  }
}
