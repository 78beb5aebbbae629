package org.metalslake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
  void theCodeFileOfAReleaseIsTheAuthorityForThatRelease() {
    // CEPII's own layout (every field quoted but the code, ISO N/A for areas) beside a BACI file
    // of the same release. 711 (the Southern African Customs Union, as BACI reports South Africa
    // before 2000) is not in the fixture's bundled list; the landed list makes it ZAF. 490 "Other
    // Asia, nes" has ISO N/A: its name is Taiwan's alias.
    Path codes =
        TradeFixtures.write(
            dir,
            "release",
            "country_codes_V202501.csv",
            List.of(
                "\"country_code\",\"country_name_abbreviation\",\"country_name_full\","
                    + "\"iso_2digit_alpha\",\"iso_3digit_alpha\"",
                "152,\"Chile\",\"Chile\",\"CL\",\"CHL\"",
                "156,\"China\",\"China\",\"CN\",\"CHN\"",
                "490,\"Other Asia, nes\",\"Other Asia, not elsewhere specified\",\"N/A\",\"N/A\"",
                "711,\"So. African Customs Union\",\"Southern African Customs Union\",\"ZA\",\"ZAF\""));
    TradeFixtures.write(
        dir,
        "release",
        FILE,
        List.of("t,i,j,k,v,q", "2022,711,156,260300,10,40", "2022,490,152,260300,20,80"));
    assertEquals("baci-country-codes", TradeFixtures.detect(spark(), codes).name());
    org.metalslake.pipeline.Pipeline.Conformed c =
        org.metalslake.pipeline.Pipeline.conformFiles(
            spark(), testSettings(java.util.Map.of()), List.of(codes.getParent().toString()), ref);
    assertEquals(2, c.files().size(), "both files read: " + c.rejected());
    assertRows(
        List.of(
            row("baci", "V202501", 152, "CHL", "country"),
            row("baci", "V202501", 156, "CHN", "country"),
            row("baci", "V202501", 490, "TWN", "country"),
            row("baci", "V202501", 711, "ZAF", "country")),
        rows(
            c.facts().get(Tables.TRADE_COUNTRY_CODES).filter(col("_reason").isNull()),
            "source",
            "release",
            "code",
            "iso3",
            "kind"),
        TOL);
    assertRows(
        List.of(
            row(2L, "X", "ZAF", "CHN"),
            row(2L, "M", "CHN", "ZAF"),
            row(3L, "X", "TWN", "CHL"),
            row(3L, "M", "CHL", "TWN")),
        rows(
            c.facts().get(Tables.TRADE_FLOWS).filter(col("_reason").isNull()),
            "_line",
            "flow",
            "reporter_iso3",
            "partner_iso3"),
        TOL);
  }
}
