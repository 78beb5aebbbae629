package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.metalslake.config.Settings;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.Progress;
import org.metalslake.storage.Lake;
import org.metalslake.storage.LazySession;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * The whole pipeline on the bundled sample data: row counts, reconciliation, quarantine reasons,
 * figures checked by hand against the sample files, and idempotency (a second run and a forced
 * re-ingest leave every table with the same rows).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest extends SparkTest {
  /**
   * The sample lake of the build: made here, once, and marked complete when every test of the class
   * has run on it, so the notebooks (run later in the build) read it instead of building their own.
   */
  static final Path lakeDir = new File(projectDir(), "jobs/target/sample-lake").toPath();

  static Settings settings;
  static Lake lake;
  static Pipeline.Result first;

  static final File SAMPLES = new File(projectDir(), "data/samples");
  static final String MONTHLY = "synthetic-monthly-production.csv";
  static final String BUREAU = "synthetic-bureau-china-ten-metals.csv";
  static final String USGS = "MCS2025_World_Data.csv";
  static final String COMTRADE = "synthetic-comtrade-2023-2024.csv";
  static final String BACI = "synthetic-baci-2022.csv";
  static final String PLANTS = "synthetic-plants.csv";
  static final String PRICES = "synthetic-prices.csv";
  static final String FX = "synthetic-fx-usdcny.csv";

  @BeforeAll
  static void runOnSamples() throws java.io.IOException {
    org.apache.commons.io.FileUtils.deleteDirectory(lakeDir.toFile());
    settings =
        testSettings(
            Map.of(
                Settings.LAKE_ROOT, lakeDir.toString(),
                Settings.LAKE_LANDING, SAMPLES.getPath()));
    Pipeline p = new Pipeline(spark(), settings, new Progress());
    first = p.run("run", "run", List.of(settings.landing()), false);
    lake = p.lake();
  }

  @org.junit.jupiter.api.AfterAll
  static void markComplete() throws java.io.IOException {
    java.nio.file.Files.writeString(lakeDir.resolve(".complete"), first.runId() + "\n");
  }

  static FileCount count(String fileName) {
    return first.files().stream()
        .filter(f -> f.file().endsWith(fileName))
        .findFirst()
        .orElseThrow();
  }

  @Test
  @Order(1)
  void everyRecordEndsInSilverOrQuarantine() {
    assertEquals("succeeded", first.status());
    // 3 production files, 13 USGS salient files + a Comtrade and a BACI file, 1 stocks file.
    assertEquals(22, first.files().size());
    // Data lines per file (wc -l minus the header): 345, 360 and 1,250.
    assertEquals(345, count(MONTHLY).records());
    assertEquals(360, count(BUREAU).records());
    assertEquals(1250, count(USGS).records());
    for (FileCount f : first.files()) {
      assertEquals(f.records(), f.toSilver() + f.quarantined(), f.file());
    }
    // 8 deliberately bad rows + 1 exact duplicate in the monthly file; none in the bureau file.
    assertEquals(9, count(MONTHLY).quarantined());
    assertEquals(0, count(MONTHLY).skipped());
    assertEquals(0, count(BUREAU).quarantined());
    // USGS rows outside the metals in scope are skipped (kept in quarantine), never errors.
    assertEquals(0, count(USGS).errors());
    assertTrue(count(USGS).skipped() > 500, "non-metal commodities are skipped");

    // One bronze table per format: the generic file, the bureau file, the USGS world file.
    assertEquals(345, lake.read(Tables.PRODUCTION_RAW).count());
    assertEquals(360, lake.read(Tables.BUREAU_MONTHLY_RAW).count());
    assertEquals(1250, lake.read(Tables.USGS_WORLD_RAW).count());
    // Comtrade sample: 2,250 records; the 6 breakdown rows (motCode, customsCode, partner2Code)
    // are skipped, the 3 rows without a weight are facts with weight_missing.
    FileCount comtrade = count(COMTRADE);
    assertEquals(2250, comtrade.records());
    assertEquals(6, comtrade.skipped());
    assertEquals(0, comtrade.errors());
    assertEquals(
        3,
        lake.read(Tables.TRADE_FLOWS)
            .filter(col("source").equalTo("comtrade").and(col("weight_missing")))
            .count());
    // BACI: every record is an export and an import.
    FileCount baci = count(BACI);
    assertEquals(114, baci.records());
    assertEquals(2 * 114, baci.facts());
    long quarantinedRecords =
        lake.read(Tables.QUARANTINE).select("_file_id", "_line").distinct().count();
    long total = first.files().stream().mapToLong(FileCount::quarantined).sum();
    assertEquals(total, quarantinedRecords);

    // ops.runs holds the same reconciliation.
    Row run = lake.read(Tables.RUNS).filter(col("run_id").equalTo(first.runId())).first();
    assertEquals("succeeded", run.getAs("status"));
    List<Row> files = run.getList(run.fieldIndex("files"));
    assertEquals(22, files.size());
    for (Row f : files) {
      assertEquals(
          (long) f.getAs("records"), (long) f.getAs("to_silver") + (long) f.getAs("quarantined"));
    }
  }

  @Test
  @Order(2)
  void badRowsAreQuarantinedWithTheirReasons() {
    Dataset<Row> q =
        lake.read(Tables.QUARANTINE)
            .filter(col("_source_file").endsWith(MONTHLY))
            .select("_line", "severity", "reason");
    List<String> got = new ArrayList<>();
    for (Row r : q.orderBy("_line").collectAsList()) {
      got.add(r.getLong(0) + " " + r.getString(1) + " " + r.getString(2));
    }
    assertEquals(
        List.of(
            "338 error unknown country 'Atlantis'",
            "339 error unknown metal 'unobtainium'",
            "340 error impossible period '2024-13'",
            "341 error negative quantity",
            "342 error unparseable number '12.3x'",
            "343 error unknown unit 'bushel'",
            "344 error duplicate key with conflicting values (lines 344, 345)",
            "345 error duplicate key with conflicting values (lines 344, 345)",
            "346 error exact duplicate of line 114"),
        got);
    Row skipped =
        lake.read(Tables.QUARANTINE)
            .filter(
                col("_source_file")
                    .endsWith(USGS)
                    .and(col("record").getItem("commodity").equalTo("Cement")))
            .first();
    assertEquals("skipped", skipped.getAs("severity"));
    assertTrue(
        ((String) skipped.getAs("reason")).startsWith("outside scope: USGS commodity 'Cement'"));
  }

  private static Row growth(String metal, String stage, String iso3, String period, String source) {
    List<Row> rows =
        lake.read(Tables.PRODUCTION_GROWTH)
            .filter(
                col("metal")
                    .equalTo(metal)
                    .and(col("stage").equalTo(stage))
                    .and(col("country_iso3").equalTo(iso3))
                    .and(col("period").equalTo(period))
                    .and(col("source").equalTo(source)))
            .collectAsList();
    assertEquals(1, rows.size(), metal + " " + stage + " " + iso3 + " " + period);
    return rows.get(0);
  }

  @Test
  @Order(3)
  void figuresMatchHandCalculationsFromTheSampleFiles() {
    // Bureau file, unit 10kt: copper 2024-03 130.62 vs 2023-03 125.13 → +4.387 %.
    Row cu = growth("CU", "refinery", "CHN", "2024-03", "synthetic-nbs");
    assertEquals(1_306_200, cu.<Double>getAs("value_t"), 0.01);
    assertEquals(1_251_300, cu.<Double>getAs("prev_value_t"), 0.01);
    assertEquals((130.62 / 125.13 - 1) * 100, cu.<Double>getAs("yoy_pct"), 1e-6);
    assertEquals(4.4, cu.<Double>getAs("published_yoy_pct"), 1e-9);
    // Aluminium 2023-05 has only its cumulative value: 1904.26 − 1506.98 = 397.28 (10kt).
    Row al = growth("AL", "primary", "CHN", "2023-05", "synthetic-nbs");
    assertEquals(3_972_800, al.<Double>getAs("value_t"), 0.01);
    assertEquals("from_ytd", al.getAs("value_method"));
    // Copper 2024 annual = cumulative at 2024-12: 1559.29 (10kt).
    Row cuYear = growth("CU", "refinery", "CHN", "2024", "synthetic-nbs");
    assertEquals(15_592_900, cuYear.<Double>getAs("value_t"), 0.5);
    assertNull(cuYear.getAs("month"));
    // January-February is published combined: 2025-02 covers two months.
    Row cuJanFeb = growth("CU", "refinery", "CHN", "2025-02", "synthetic-nbs");
    assertEquals(2, (int) cuJanFeb.<Integer>getAs("months_covered"));

    // Ten non-ferrous metals, China, Jan-Apr 2025: 2660.00 (10kt) = 26.6 Mt, vs 2600.15 → +2.30 %.
    Row ten =
        lake.read(Tables.GROUP_OUTPUT)
            .filter(
                col("group_code")
                    .equalTo("ten_nonferrous")
                    .and(col("country_iso3").equalTo("CHN"))
                    .and(col("period").equalTo("2025-04")))
            .first();
    assertEquals(26_600_000, ten.<Double>getAs("ytd_t"), 1);
    assertEquals((2660.00 / 2600.15 - 1) * 100, ten.<Double>getAs("ytd_yoy_pct"), 1e-6);
    assertEquals(10, (int) ten.<Integer>getAs("members_reported"));

    // Supply balance: U.S. refined copper 2024 is in both USGS files (world: refinery 850 kt;
    // salient: primary refined 850 + old scrap 150 kt). The salient file is first in
    // balance.source-priority, so its production and trade make the balance:
    // (810 - 60 + 57) / (1000 + 810 - 60 + 57) * 100 = 44.65 %, USGS publishes 45.
    Row us =
        lake.read(Tables.SUPPLY_BALANCE)
            .filter(
                col("country_iso3")
                    .equalTo("USA")
                    .and(col("metal").equalTo("CU"))
                    .and(col("stage").equalTo("refinery"))
                    .and(col("period").equalTo("2024")))
            .first();
    assertEquals("usgs_mcs_salient", us.getAs("production_source"));
    assertEquals(1_000_000, us.<Double>getAs("production_t"), 0.01);
    assertEquals(807.0 / 1807 * 100, us.<Double>getAs("import_reliance_pct"), 1e-9);
    assertEquals(45.0, us.<Double>getAs("published_nir_pct"), 1e-9);

    // USGS world file: Congo (Kinshasa) cobalt 2024 = 220,000 t, an estimate; the world total
    // row is kept as WLD (290,000 t), never added to the countries.
    Row cod = growth("CO", "mine", "COD", "2024", "usgs-mcs");
    assertEquals(220_000, cod.<Double>getAs("value_t"), 0.01);
    assertEquals(175_000, cod.<Double>getAs("prev_value_t"), 0.01);
    assertEquals("e", cod.getAs("flags"));
    assertEquals(
        290_000, growth("CO", "mine", "WLD", "2024", "usgs-mcs").<Double>getAs("value_t"), 0.01);
    // Aluminium, China 2024: 43,000 thousand metric tons.
    assertEquals(
        43_000_000,
        growth("AL", "primary", "CHN", "2024", "usgs-mcs").<Double>getAs("value_t"),
        0.01);
    // Generic file in kt: Peru copper mine 2023-03 = 215.5 kt.
    assertEquals(
        215_500,
        growth("CU", "mine", "PER", "2023-03", "synthetic").<Double>getAs("value_t"),
        1e-6);
  }

  @Test
  @Order(3)
  void capacityFillsUtilisationAndConcentration() {
    // The plant list: 45 records, 9 deliberately bad (data/samples/README.md), 36 plants.
    FileCount plants = count(PLANTS);
    assertEquals(45, plants.records());
    assertEquals(9, plants.errors());
    assertEquals(36, lake.read(Tables.CAPACITY).count());
    // The USGS world file's capacity columns (CAP_2023, CAP_EST_ 2024) are country capacity.
    assertEquals(
        44_700_000,
        lake.read(Tables.COUNTRY_CAPACITY)
            .filter("country_iso3 = 'CHN' AND metal = 'AL' AND year = 2024")
            .first()
            .<Double>getAs("capacity_t"),
        0.01);

    Dataset<Row> util = lake.read(Tables.CAPACITY_UTILISATION);
    // China copper smelters: eight plants, 16 000 kt/yr in 2024; the 1 500 kt one started in
    // April 2023, so 2023 has 14 500 + 1 500 * 9 / 12 = 15 625 kt.
    Row cn2024 = util.filter("country_iso3 = 'CHN' AND metal = 'CU' AND year = 2024").first();
    assertEquals(16_000_000, cn2024.<Double>getAs("capacity_t"), 0.01);
    assertEquals("synthetic-plants", cn2024.getAs("capacity_source"));
    assertEquals("refinery", cn2024.getAs("demand_stage"));
    assertEquals(
        16_000_000 / cn2024.<Double>getAs("demand_t"),
        cn2024.<Double>getAs("overcapacity_ratio"),
        1e-12);
    Row cn2023 = util.filter("country_iso3 = 'CHN' AND metal = 'CU' AND year = 2023").first();
    assertEquals(15_625_000, cn2023.<Double>getAs("capacity_t"), 0.01);
    // Pipeline: 500 kt under construction for 2025-06, 400 kt planned for 2026.
    Row cn2025 = util.filter("country_iso3 = 'CHN' AND metal = 'CU' AND year = 2025").first();
    assertEquals(500_000, cn2025.<Double>getAs("under_construction_t"), 0.01);
    assertEquals(16_000_000, cn2025.<Double>getAs("capacity_t"), 0.01);
    // Japan copper refineries: 250 kt closed in September 2024: 1 350 + 250 * 9 / 12.
    Row jp = util.filter("country_iso3 = 'JPN' AND metal = 'CU' AND year = 2024").first();
    assertEquals(1_537_500, jp.<Double>getAs("capacity_t"), 0.01);
    assertEquals(1_350_000, jp.<Double>getAs("year_end_capacity_t"), 0.01);
    // USGS aluminium 2024: China 43 000 / 44 700, the world 72 000 / 78 400.
    Row al = util.filter("country_iso3 = 'CHN' AND metal = 'AL' AND year = 2024").first();
    assertEquals(43_000.0 / 44_700 * 100, al.<Double>getAs("utilisation_pct"), 1e-9);
    Row wld = util.filter("country_iso3 = 'WLD' AND metal = 'AL' AND year = 2024").first();
    assertEquals(72_000.0 / 78_400 * 100, wld.<Double>getAs("utilisation_pct"), 1e-9);

    Dataset<Row> conc = lake.read(Tables.SUPPLY_CONCENTRATION);
    Row cod =
        conc.filter(
                "view = 'production' AND source = 'usgs-mcs' AND metal = 'CO' AND year = 2024"
                    + " AND country_iso3 = 'COD'")
            .first();
    assertEquals(
        220_000.0 / 290_000 * 100, cod.<Double>getAs("share_of_published_world_pct"), 1e-9);
    // Equity view: Chinese-owned cobalt mines in Congo (90 + 60 kt/yr of 250 kt/yr).
    Row chnCobalt =
        conc.filter("view = 'equity' AND metal = 'CO' AND year = 2024 AND country_iso3 = 'CHN'")
            .first();
    assertEquals(150_000, chnCobalt.<Double>getAs("equity_capacity_t"), 0.01);
    assertEquals(60.0, chnCobalt.<Double>getAs("share_pct"), 1e-9);
  }

  @Test
  @Order(3)
  void pricesFillTrends() {
    // 3,515 good observations and 9 bad records (data/samples/README.md): 8 rejected rows and a
    // conflicting repeat of 2024-03-15 aluminium, which takes the original line with it.
    FileCount prices = count(PRICES);
    assertEquals(3_524, prices.records());
    assertEquals(10, prices.errors());
    assertEquals(651, count(FX).records());
    assertEquals(0, count(FX).quarantined());
    // The cobalt example: 160 000 CNY/t on 2025-02-21, 240 000 on 2025-04-21: +50 %.
    Row co =
        org.metalslake.gold.PriceChange.between(
                lake.read(Tables.PRICES).filter("metal = 'CO'"),
                java.time.LocalDate.of(2025, 2, 21),
                java.time.LocalDate.of(2025, 4, 21))
            .first();
    assertEquals(160_000, co.<Double>getAs("from_price"), 1e-9);
    assertEquals(240_000, co.<Double>getAs("to_price"), 1e-9);
    assertEquals(50.0, co.<Double>getAs("change_pct"), 1e-9);
    // Charges: a percent change only from a base above zero to a value not below zero.
    Dataset<Row> trends = lake.read(Tables.PRICE_TRENDS);
    Dataset<Row> tc = trends.filter("series = 'TC'");
    assertTrue(tc.count() >= 30, "30 months of weekly TC");
    assertEquals(
        0, tc.filter("mom_pct IS NOT NULL AND (avg_price < 0 OR mom_change IS NULL)").count());
    assertTrue(tc.filter("mom_flag = 'sign_change'").count() >= 1, "the TC crosses zero");
    assertEquals(0, tc.filter("volatility_3m_pct IS NOT NULL").count());
    // CNY series are converted to USD with the month's average USD/CNY rate.
    Row li = trends.filter("metal = 'LI' AND period = '2024-06'").first();
    assertEquals("USD", li.getAs("converted_currency"));
    assertEquals(
        li.<Double>getAs("avg_price") / li.<Double>getAs("fx_rate"),
        li.<Double>getAs("avg_price_converted"),
        1e-9);
  }

  @Test
  @Order(3)
  void everyGoldTableIsKeyedCommentedAndFeedsChanges() {
    for (org.metalslake.gold.GoldTable g : org.metalslake.gold.GoldTable.ALL) {
      assertTrue(lake.exists(g.id()), g.id() + " built from the samples");
      Dataset<Row> rows = lake.read(g.id());
      // The key identifies a row: the merge of a rebuild depends on it.
      long distinct =
          rows.select(g.key().stream().map(k -> col(k)).toArray(org.apache.spark.sql.Column[]::new))
              .distinct()
              .count();
      assertEquals(rows.count(), distinct, g.id() + " key " + g.key());
      for (org.apache.spark.sql.types.StructField f : rows.schema().fields()) {
        assertTrue(f.getComment().isDefined(), g.id() + "." + f.name() + " has a comment");
      }
      assertEquals("true", lake.property(g.id(), "delta.enableChangeDataFeed"), g.id().toString());
    }
  }

  static Map<TableId, List<String>> snapshot() {
    Map<TableId, List<String>> out =
        new java.util.TreeMap<>((a, b) -> a.qualified().compareTo(b.qualified()));
    for (TableId t : lake.catalog().list()) {
      if (t.equals(Tables.RUNS) || t.equals(Tables.INGESTED_FILES)) {
        continue; // logs of runs: they grow by design
      }
      Dataset<Row> df = lake.read(t);
      for (String c : df.columns()) {
        if (c.equals("_batch_id") || c.equals("_ingested_at") || c.equals("_quarantined_at")) {
          df = df.drop(c);
        }
      }
      // Sums of doubles differ in the last bits when Spark adds them in another order; the
      // rows must be the same to a millionth, not bit for bit.
      for (org.apache.spark.sql.types.StructField f : df.schema().fields()) {
        if (f.dataType().equals(org.apache.spark.sql.types.DataTypes.DoubleType)) {
          df = df.withColumn(f.name(), org.apache.spark.sql.functions.round(col(f.name()), 6));
        }
      }
      List<String> rows = new ArrayList<>();
      df.toJSON().collectAsList().forEach(rows::add);
      rows.sort(String::compareTo);
      out.put(t, rows);
    }
    return out;
  }

  /**
   * A reader that is not Spark gets the same gold: Delta Kernel for Java reads every gold table
   * from its log and Parquet files, and its row count and the checksum of one column equal Spark's.
   */
  @Test
  @Order(3)
  void deltaKernelReadsEveryGoldTableAsSparkDoes() {
    List<TableId> gold =
        lake.catalog().list().stream().filter(t -> t.layer().equals("gold")).toList();
    assertTrue(gold.size() >= 8, "gold tables: " + gold);
    for (TableId t : gold) {
      String path = lake.location(t);
      String column = org.metalslake.testing.KernelTables.firstPlainColumn(path);
      org.metalslake.testing.KernelTables.Read kernel =
          org.metalslake.testing.KernelTables.read(path, column);
      Dataset<Row> spark = lake.read(t);
      long sparkSum = 0;
      for (Row r : spark.select(column).collectAsList()) {
        sparkSum += org.metalslake.testing.KernelTables.checksum(r.get(0));
      }
      assertEquals(spark.count(), kernel.rows(), t + " rows");
      assertTrue(kernel.rows() > 0, t + " is empty");
      assertEquals(sparkSum, kernel.checksum(), t + " checksum of " + column);
    }
  }

  /**
   * The report is a page people can look at: opened in headless Chromium, it runs without a
   * JavaScript error, each of its four charts has marks, the screenshot is not blank (it is kept at
   * jobs/target/report/screenshot.png), and USGS's published import reliance stands beside the
   * computed one (copper 2024: 45 % in MCS2025).
   */
  @Test
  @Order(3)
  void theReportOpensInHeadlessChromiumWithItsChartsDrawn() throws Exception {
    Path dir = new File(projectDir(), "jobs/target/report").toPath();
    org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
    Path page = org.metalslake.report.Report.write(lake, dir);
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    assertTrue(
        new File(chromium).canExecute(),
        "headless Chromium not found at "
            + chromium
            + ": install Debian's chromium (.ci/run does) or set CHROMIUM");
    String dom = browser(chromium, "--dump-dom", page.toUri().toString());
    String root = dom.substring(dom.indexOf("<html"), dom.indexOf('>', dom.indexOf("<html")));
    assertFalse(root.contains("data-js-errors"), "a JavaScript error on the page: " + root);
    assertTrue(root.contains("data-ready=\"4\""), "four charts rendered: " + root);
    for (String id : List.of("import-reliance", "ten-metals", "top-producers", "overcapacity")) {
      int at = dom.indexOf("<figure id=\"" + id + "\"");
      assertTrue(at >= 0, id);
      String figure = dom.substring(at, dom.indexOf("</figure>", at));
      assertTrue(
          figure.contains("class=\"bar") || figure.matches("(?s).*class=\"line\" d=\"M[^\"]+L.*"),
          id + " has no bars or line: " + figure);
      assertTrue(figure.contains("<figcaption>") && figure.contains("Source:"), id + " caption");
    }
    assertTrue(dom.contains("CU refinery (USGS): 45.0 %"), "USGS's 45 % for copper beside ours");
    Path shot = dir.resolve("screenshot.png");
    browser(
        chromium,
        "--screenshot=" + shot,
        "--window-size=1100,3000",
        "--hide-scrollbars",
        page.toUri().toString());
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(shot.toFile());
    long inked = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
          inked++;
        }
      }
    }
    double share = inked / (image.getWidth() / 2.0 * image.getHeight() / 2.0);
    assertTrue(share > 0.03, "the screenshot is almost blank: " + share);
  }

  /**
   * Chromium headless and offline: a fresh profile, and none of its background connections (this
   * machine's network is closed, so they would only be refused); its stderr goes into the message
   * of a failure.
   */
  private static String browser(String chromium, String... args) throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    Path stderr = profile.resolveSibling(profile.getFileName() + ".stderr");
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "chromium finished");
      assertEquals(
          0,
          p.exitValue(),
          () -> "chromium " + String.join(" ", args) + ":\n" + readQuietly(stderr));
      return out;
    } finally {
      org.apache.commons.io.FileUtils.deleteQuietly(profile.toFile());
      Files.deleteIfExists(stderr);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no stderr: " + e.getMessage() + ")";
    }
  }

  @Test
  @Order(4)
  void runningAgainChangesNoTableAndForcingAReingestNeither() {
    Map<TableId, List<String>> before = snapshot();
    long runs = spark().read().format("delta").load(lake.location(Tables.RUNS)).count();
    // A run with nothing to do answers from the landing zone and the Delta log: its session is
    // never started (the lazy session would start the test's own one).
    LazySession lazy = LazySession.of(settings, () -> spark());
    Pipeline.Result again =
        new Pipeline(lazy, settings, new Progress())
            .run("run", "run", List.of(settings.landing()), false);
    assertEquals("nothing_new", again.status());
    assertFalse(lazy.isStarted(), "a run with nothing to do started a session");
    assertEquals(before, snapshot());
    assertEquals(
        runs + 1,
        spark().read().format("delta").load(lake.location(Tables.RUNS)).count(),
        "the run is logged in ops.runs all the same");

    Pipeline p = new Pipeline(spark(), settings, new Progress());

    Pipeline.Result forced = p.run("run", "run --force", List.of(settings.landing()), true);
    assertEquals("succeeded", forced.status());
    Map<TableId, List<String>> after = snapshot();
    assertEquals(before.keySet(), after.keySet());
    for (TableId t : before.keySet()) {
      assertEquals(before.get(t).size(), after.get(t).size(), t + " row count");
      assertEquals(before.get(t), after.get(t), t + " rows");
    }
  }
}
