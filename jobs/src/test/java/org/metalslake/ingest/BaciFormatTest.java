package org.metalslake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.metalslake.testing.TradeFixtures.F_2603;
import static org.metalslake.testing.TradeFixtures.F_740311;
import static org.metalslake.testing.TradeFixtures.F_810520;

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
 * A CEPII BACI file ({@code t,i,j,k,v,q}) read the pipeline's way with fixture content factors:
 * every record is one export and one import, values in thousands of dollars, quantities in tonnes.
 */
class BaciFormatTest extends SparkTest {
  private static final double TOL = 1e-9;

  static final String FILE = "BACI_HS22_Y2022_V202501.csv";

  static final List<String> LINES =
      List.of(
          /* 1 */ "t,i,j,k,v,q",
          // Chile exports 4000 t of copper ores to China, worth 1500.5 thousand dollars
          /* 2 */ "2022,152,156,260300,1500.5,4000",
          // the United States to China, cathodes, no quantity
          /* 3 */ "2022,842,156,740311,2000,",
          // China to the United States, cobalt intermediates, 50 t
          /* 4 */ "2022,156,842,810520,300,50",
          // HS 010630 written without its leading zero (and outside the metals covered)
          /* 5 */ "2022,152,156,10630,12,3");

  @TempDir static Path dir;

  private static RefData ref;
  private static Dataset<Row> out;

  @BeforeAll
  static void ingest() {
    ref = TradeFixtures.ref(spark(), dir.resolve("ref"));
    Path f = TradeFixtures.write(dir, "baci", FILE, LINES);
    out = TradeFixtures.ingest(spark(), f, ref, Tables.TRADE_FLOWS).cache();
  }

  @AfterAll
  static void release() {
    out.unpersist();
  }

  @Test
  void detectsBaci() {
    Path f = TradeFixtures.write(dir, "detect", FILE, LINES);
    assertEquals("baci", TradeFixtures.detect(spark(), f).name());
  }

  @Test
  void everyRecordIsAnExportAndAnImport() {
    Dataset<Row> facts = out.filter(col("_reason").isNull());
    assertRows(
        List.of(
            // line 2: X Chile → China and M China ← Chile; q is tonnes; v * 1000 dollars
            row(
                2L,
                "X",
                "CHL",
                "CHN",
                "260300",
                "CU",
                "mine",
                4000.0,
                F_2603,
                4000 * F_2603,
                1500.5 * 1000,
                false),
            row(
                2L,
                "M",
                "CHN",
                "CHL",
                "260300",
                "CU",
                "mine",
                4000.0,
                F_2603,
                4000 * F_2603,
                1500.5 * 1000,
                false),
            // line 3: empty q → weight missing, no tonnes; the value kept
            row(
                3L,
                "X",
                "USA",
                "CHN",
                "740311",
                "CU",
                "refinery",
                null,
                F_740311,
                null,
                2000 * 1000.0,
                true),
            row(
                3L,
                "M",
                "CHN",
                "USA",
                "740311",
                "CU",
                "refinery",
                null,
                F_740311,
                null,
                2000 * 1000.0,
                true),
            // line 4: 50 t of intermediates at 0.5 = 25 t cobalt
            row(
                4L,
                "X",
                "CHN",
                "USA",
                "810520",
                "CO",
                "intermediate",
                50.0,
                F_810520,
                50 * F_810520,
                300 * 1000.0,
                false),
            row(
                4L,
                "M",
                "USA",
                "CHN",
                "810520",
                "CO",
                "intermediate",
                50.0,
                F_810520,
                50 * F_810520,
                300 * 1000.0,
                false)),
        rows(
            facts,
            "_line",
            "flow",
            "reporter_iso3",
            "partner_iso3",
            "commodity_code",
            "metal",
            "stage",
            "gross_t",
            "content_factor",
            "metal_content_t",
            "value_usd",
            "weight_missing"),
        TOL);
    assertRows(
        List.<Object[]>of(row("baci", "gross", "HS22", "V202501", "2022", "A", "country")),
        rows(
            facts
                .select(
                    "source", "basis", "hs_vintage", "release", "period", "freq", "partner_kind")
                .distinct()),
        TOL);
  }

  @Test
  void fiveDigitCodesArePaddedToSix() {
    // 10630 is HS 010630: padded back, then outside ref.hs_scope (26, 74, 81) → skipped, both sides
    assertRows(
        List.of(row(5L, "X", "010630", "skipped"), row(5L, "M", "010630", "skipped")),
        rows(out.filter(col("_line").equalTo(5)), "_line", "flow", "commodity_code", "_severity"),
        TOL);
  }

  @Test
  void everyRecordYieldsTwoRows() {
    assertEquals(2L * (LINES.size() - 1), out.count());
    assertEquals(LINES.size() - 1, out.select("_line").distinct().count());
  }

  @Test
  void baciCountryCodeFileLandedBesideTheDataIsCountedNotLost() {
    Path f =
        TradeFixtures.write(
            dir,
            "codes",
            "country_codes_V202501.csv",
            List.of(
                "country_code,country_name,country_iso2,country_iso3",
                "152,Chile,CL,CHL",
                "842,USA,US,USA"));
    assertEquals("baci-country-codes", TradeFixtures.detect(spark(), f).name());
    Dataset<Row> rows = TradeFixtures.ingest(spark(), f, ref, Tables.TRADE_FLOWS);
    // Two records, two rows, both skipped with a reason that says where the file belongs.
    assertEquals(2, rows.count());
    assertEquals(2, rows.filter(col("_severity").equalTo("skipped")).count());
    assertTrue(rows.first().<String>getAs("_reason").contains("ref.dir"), rows.first().toString());
  }
}
