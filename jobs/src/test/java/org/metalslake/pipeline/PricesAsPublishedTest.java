package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.Progress;
import org.metalslake.sources.fred.FredFormat;
import org.metalslake.sources.worldbank.PinkSheetFormat;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * Prices as their publishers ship them, in one run: the World Bank Pink Sheet workbook as
 * downloaded (CMOHistoricalDataMonthly.xlsx, March 2020) and FRED-style two-column series
 * (synthetic values, both header spellings, FRED's {@code .} for a missing value). Expected figures
 * are the sheet's printed numbers and hand calculations from them.
 */
class PricesAsPublishedTest extends SparkTest {
  private static final double TOL = 1e-9;

  @TempDir static Path dir;

  static Pipeline.Result run;
  static Lake lake;

  static final String PINK = "CMOHistoricalDataMonthly.xlsx";
  static final String COPPER_FRED = "PCOPPUSDM_synthetic.csv";
  static final String ALUMINIUM_FRED = "PALUMUSDM_synthetic.csv";
  static final String IRON_FRED = "PIORECRUSDM_synthetic.csv";
  static final String OTHER_WORKBOOK = "budget.xlsx";

  @BeforeAll
  static void runOnPublishedPrices() throws IOException {
    Path prices = Files.createDirectories(dir.resolve("landing").resolve("prices"));
    copy("real/worldbank/" + PINK, prices.resolve(PINK));
    for (String f : List.of(COPPER_FRED, ALUMINIUM_FRED, IRON_FRED)) {
      copy("synthetic/fred/" + f, prices.resolve(f));
    }
    // A workbook no format reads: rejected with its sheets named.
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      wb.createSheet("Data").createRow(0).createCell(0).setCellValue("budget");
      try (OutputStream out = Files.newOutputStream(prices.resolve(OTHER_WORKBOOK))) {
        wb.write(out);
      }
    }
    Settings settings =
        testSettings(
            Map.of(
                Settings.LAKE_ROOT, dir.resolve("lake").toString(),
                Settings.LAKE_LANDING, dir.resolve("landing").toString()));
    Pipeline p = new Pipeline(spark(), settings, new Progress());
    run = p.run("run", "run", List.of(settings.landing()), false);
    lake = p.lake();
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in =
        PricesAsPublishedTest.class.getClassLoader().getResourceAsStream(resource)) {
      Files.write(to, in.readAllBytes());
    }
  }

  static FileCount count(String name) {
    return run.files().stream()
        .filter(f -> f.file().endsWith(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not ingested: " + run.files()));
  }

  static Row price(String source, String metal, String date) {
    List<Row> rows =
        lake.read(Tables.PRICES)
            .filter(
                col("source")
                    .equalTo(source)
                    .and(col("metal").equalTo(metal))
                    .and(col("date").equalTo(java.sql.Date.valueOf(date))))
            .collectAsList();
    assertEquals(1, rows.size(), source + " " + metal + " " + date + ": " + rows);
    return rows.get(0);
  }

  static Row trend(String source, String metal, String period) {
    List<Row> rows =
        lake.read(Tables.PRICE_TRENDS)
            .filter(
                col("source")
                    .equalTo(source)
                    .and(col("metal").equalTo(metal))
                    .and(col("period").equalTo(period)))
            .collectAsList();
    assertEquals(1, rows.size(), source + " " + metal + " " + period + ": " + rows);
    return rows.get(0);
  }

  static Map<String, Long> quarantineReasons(String file) {
    Map<String, Long> out = new TreeMap<>();
    for (Row r :
        lake.read(Tables.QUARANTINE)
            .filter(col("_source_file").endsWith(file))
            .groupBy("severity", "reason")
            .count()
            .collectAsList()) {
      out.put(r.getString(0) + ": " + r.getString(1), r.getLong(2));
    }
    return out;
  }

  @Test
  void everyFileIsIngestedAndItsRecordsReconcile() {
    // Every price file is ingested; the workbook no format reads is rejected with its sheets.
    assertEquals(Pipeline.PARTIAL, run.status());
    assertEquals(1, run.rejected().size(), run.rejected().toString());
    assertTrue(run.rejected().get(0).path().endsWith(OTHER_WORKBOOK));
    assertTrue(
        run.rejected().get(0).reason().contains("no format reads a sheet of the workbook")
            && run.rejected().get(0).reason().contains("[Data]"),
        run.rejected().get(0).reason());
    assertEquals(4, run.files().size());
    for (FileCount f : run.files()) {
      assertEquals(f.records(), f.toSilver() + f.quarantined(), f.file());
    }
    Row ingested = lake.read(Tables.INGESTED_FILES).filter(col("path").endsWith(PINK)).first();
    assertEquals("worldbank-pinksheet", ingested.getAs("format"));
    assertEquals("xlsx workbook, sheet 'Monthly Prices'", ingested.getAs("layout"));
    // the header is the codes row, 7; names and units are rows 5 and 6
    assertEquals(7L, (long) ingested.<Long>getAs("header_line"));
  }

  @Test
  void thePinkSheetsRowsAreCountedRowByRow() {
    // Rows 1-6 (title, subtitle, note, update date, names, units) and the 722 months of rows
    // 8-729 (1960M01-2020M02: 60 years x 12 + 2); row 7 is the header.
    FileCount pink = count(PINK);
    assertEquals(6 + 722, pink.records());
    assertEquals(722, pink.toSilver());
    assertEquals(6, pink.skipped());
    assertEquals(0, pink.errors());
    // 9 mapped series (6 base metals, gold, silver, platinum), a figure every month
    assertEquals(9 * 722, pink.facts());
    Dataset<Row> bronze = lake.read(Tables.WORLDBANK_PINKSHEET_RAW);
    assertEquals(728, bronze.count());
    Row jan1960 = bronze.filter(col("_line").equalTo(8)).first();
    assertEquals("1960M01", jan1960.getAs("period"));
    // BN8 as stored, and BL8 (511.47183227539102) to Excel's 15 significant digits
    assertEquals("715.4", jan1960.getAs("copper"));
    assertEquals("511.471832275391", jan1960.getAs("aluminum"));
    assertEquals("..", jan1960.getAs("crude_brent"));
  }

  @Test
  void pinkSheetPricesAreThePublishedFigures() {
    // Sheet "Monthly Prices", row 727 (2019M12): BN copper, BL aluminum, BQ nickel, BR zinc,
    // BP tin, BO lead, in US$ per metric ton; row 729 (2020M02): BN copper.
    Map<String, Double> dec2019 =
        Map.of(
            "CU", 6077.06, "AL", 1771.38, "NI", 13829.42, "ZN", 2272.54, "SN", 17141.05, "PB",
            1900.54);
    dec2019.forEach(
        (metal, published) -> {
          Row r = price(PinkSheetFormat.SOURCE, metal, "2019-12-01");
          assertEquals(published, r.<Double>getAs("price"), TOL, metal);
          assertEquals("USD", r.getAs("currency"), metal);
          assertEquals("t", r.getAs("unit"), metal);
          assertEquals("($/mt)", r.getAs("unit_reported"), metal);
          assertEquals("LME", r.getAs("market"), metal);
          assertEquals("price", r.getAs("series"), metal);
          assertEquals("M", r.getAs("freq"), metal);
          // "Updated on March 03, 2020" (A4)
          assertEquals("2020-03-03", r.getAs("release"), metal);
          assertEquals(727L, (long) r.<Long>getAs("_line"), metal);
        });
    assertEquals(5687.75, price(PinkSheetFormat.SOURCE, "CU", "2020-02-01").getAs("price"), TOL);
    // Gold, BS727: US$ per troy ounce, kept per troy ounce
    Row gold = price(PinkSheetFormat.SOURCE, "AU", "2019-12-01");
    assertEquals(1479.13, gold.<Double>getAs("price"), TOL);
    assertEquals("troy oz", gold.getAs("unit"));
    assertEquals("($/troy oz)", gold.getAs("unit_reported"));
    assertEquals(
        722L,
        lake.read(Tables.PRICES)
            .filter(col("source").equalTo(PinkSheetFormat.SOURCE).and(col("metal").equalTo("CU")))
            .count());
  }

  @Test
  void seriesOutsideTheMappingAreSkippedWithTheirFiguresCounted() {
    Map<String, Long> reasons = quarantineReasons(PINK);
    // crude oil (average), CRUDE_PETRO: a figure in every one of the 722 months
    assertEquals(
        1L,
        reasons.get(
            "skipped: series CRUDE_PETRO (Crude oil, average, ($/bbl)) is not in ref"
                + " price_series.csv (out of scope): 722 monthly figures not read"));
    // the sheet's 82 series columns (B-CE) less the 9 mapped, each with figures
    long outOfScope =
        reasons.keySet().stream().filter(k -> k.contains("is not in ref price_series")).count();
    assertEquals(82 - 9, outOfScope);
    assertEquals(3L, reasons.get("skipped: title row"));
    assertEquals(1L, reasons.get("skipped: series names (read with their figures)"));
    assertEquals(1L, reasons.get("skipped: series units (read with their figures)"));
    assertEquals(
        1L, reasons.get("skipped: the sheet's update date (kept as the release of its prices)"));
    assertEquals(
        0L,
        reasons.keySet().stream().filter(k -> k.startsWith("error")).count(),
        reasons::toString);
    // the out-of-scope rows sit on the names row, 5
    assertEquals(
        outOfScope + 1,
        lake.read(Tables.QUARANTINE)
            .filter(col("_source_file").endsWith(PINK).and(col("_line").equalTo(5)))
            .count());
  }

  @Test
  void priceTrendsHaveThePinkSheetsMonthlyChanges() {
    // Copper 2020M01 as printed: BN728 = 6 031.21; 2020M02: BN729 = 5 687.75.
    double jan = 6031.21;
    double feb = 5687.75;
    Row t = trend(PinkSheetFormat.SOURCE, "CU", "2020-02");
    assertEquals(feb, t.<Double>getAs("avg_price"), TOL);
    assertEquals(feb - jan, t.<Double>getAs("mom_change"), 1e-6);
    assertEquals((feb / jan - 1) * 100, t.<Double>getAs("mom_pct"), 1e-9);
    // 2019M12 -> 2020M01: (6 031.21 / 6 077.06 - 1) x 100
    assertEquals(
        (6031.21 / 6077.06 - 1) * 100,
        trend(PinkSheetFormat.SOURCE, "CU", "2020-01").<Double>getAs("mom_pct"),
        1e-9);
    // Aluminum 2020M02 (BL729 1 688.10) on 2019M02 (BL717 1 862.99): yoy
    assertEquals(
        (1688.10 / 1862.99 - 1) * 100,
        trend(PinkSheetFormat.SOURCE, "AL", "2020-02").<Double>getAs("yoy_pct"),
        1e-9);
  }

  @Test
  void fredSeriesLandWithEitherHeaderAndTheirGapsSkipped() {
    // observation_date,PCOPPUSDM: 4 records, 2020-02-01 is '.'
    FileCount copper = count(COPPER_FRED);
    assertEquals(4, copper.records());
    assertEquals(3, copper.toSilver());
    assertEquals(1, copper.skipped());
    assertEquals(6000.00, price(FredFormat.SOURCE, "CU", "2019-12-01").getAs("price"), TOL);
    Row mar = price(FredFormat.SOURCE, "CU", "2020-03-01");
    assertEquals(5904.00, mar.<Double>getAs("price"), TOL);
    assertEquals("IMF global", mar.getAs("market"));
    assertEquals("USD", mar.getAs("currency"));
    assertEquals("t", mar.getAs("unit"));
    assertEquals("M", mar.getAs("freq"));
    assertNull(mar.getAs("release"));
    assertEquals(
        Map.of(
            "skipped: no observation of PCOPPUSDM on '2020-02-01' ('.' is FRED's missing value)",
            1L),
        quarantineReasons(COPPER_FRED));
    // January on December: (6 150 / 6 000 - 1) x 100 = 2.5; March has no February to compare
    assertEquals(2.5, trend(FredFormat.SOURCE, "CU", "2020-01").<Double>getAs("mom_pct"), 1e-9);
    assertNull(trend(FredFormat.SOURCE, "CU", "2020-03").getAs("mom_pct"));

    // DATE,PALUMUSDM: February 1 710.475 on January 1 800.50 is -5 %
    FileCount aluminium = count(ALUMINIUM_FRED);
    assertEquals(2, aluminium.records());
    assertEquals(2, aluminium.toSilver());
    assertEquals(1800.50, price(FredFormat.SOURCE, "AL", "2020-01-01").getAs("price"), TOL);
    assertEquals(-5.0, trend(FredFormat.SOURCE, "AL", "2020-02").<Double>getAs("mom_pct"), 1e-9);

    // a series the mapping does not list: counted and skipped, record by record
    FileCount iron = count(IRON_FRED);
    assertEquals(2, iron.records());
    assertEquals(2, iron.skipped());
    assertEquals(
        Map.of(
            "skipped: series PIORECRUSDM is not in ref price_series.csv (out of scope): not read",
            2L),
        quarantineReasons(IRON_FRED));
  }
}
