package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.Progress;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * Files as their publishers ship them, in one run: an excerpt of a real Comtrade+ download
 * (PascalCase, annual, 4-digit codes, empty weights), a bulk file in the layout of UN's own
 * downloader (tab-separated gzip, codes only, its bracketed name), CEPII's country-code file
 * (Latin-1) beside BACI data of its release, RFC 4180 quoting, Latin-1, UTF-16 and semicolon files,
 * and a stray file no format knows. Expected figures are the files' own numbers, worked by hand.
 */
class RealFilesTest extends SparkTest {
  private static final double TOL = 1e-6;

  @TempDir static Path dir;

  static Pipeline.Result run;
  static Lake lake;

  static final String EXCERPT = "comtradeplus_excerpt_chl_usa1997.csv";
  static final String BULK = "COMTRADE-FINAL-CA156202301H6[2024-05-01].gz";
  static final String CEPII = "country_codes_V202201.csv";
  static final String BACI = "BACI_HS92_Y1995_V202201.csv";
  static final String PLANTS = "plants quoted.csv";
  static final String LATIN1 = "prod 50% Côte.csv";
  static final String UTF16 = "production-utf16.csv";
  static final String SEMICOLON = "production;semicolon.csv";
  static final String STRAY = "README.txt";

  /** The codes-only header of a bulk file as UN's downloader writes it. */
  static final String BULK_HEADER =
      String.join(
          "\t",
          "typeCode",
          "freqCode",
          "refPeriodId",
          "refYear",
          "refMonth",
          "period",
          "reporterCode",
          "flowCode",
          "partnerCode",
          "partner2Code",
          "classificationCode",
          "classificationSearchCode",
          "isOriginalClassification",
          "cmdCode",
          "aggrLevel",
          "isLeaf",
          "customsCode",
          "mosCode",
          "motCode",
          "qtyUnitCode",
          "qty",
          "isQtyEstimated",
          "altQtyUnitCode",
          "altQty",
          "isAltQtyEstimated",
          "netWgt",
          "isNetWgtEstimated",
          "grossWgt",
          "isGrossWgtEstimated",
          "cifvalue",
          "fobvalue",
          "primaryValue",
          "legacyEstimationFlag",
          "isReported",
          "isAggregate");

  /**
   * China's imports in January 2023: partner, code, level, leaf, mot, qty, est, netWgt, est, value.
   */
  static String bulk(
      String partner,
      String code,
      String leaf,
      String mot,
      String qty,
      String qtyEst,
      String netWgt,
      String wgtEst,
      String value) {
    return String.join(
        "\t",
        "C",
        "M",
        "20230101",
        "2023",
        "1",
        "202301",
        "156",
        "M",
        partner,
        "0",
        "H6",
        "HS",
        "1",
        code,
        String.valueOf(code.length()),
        leaf,
        "C00",
        "0",
        mot,
        "8",
        qty,
        qtyEst,
        "-1",
        "",
        "0",
        netWgt,
        wgtEst,
        "",
        "0",
        value,
        "",
        value,
        "0",
        "1",
        "0");
  }

  static final List<String> BULK_LINES =
      List.of(
          BULK_HEADER,
          // 2 heading 2603 from Chile (isLeaf 0): its subheading 260300 is on line 3
          bulk("152", "2603", "0", "0", "1000000000", "0", "1000000000", "0", "2500000000"),
          // 3 the subheading: 1 000 000 t gross
          bulk("152", "260300", "1", "0", "1000000000", "0", "1000000000", "0", "2500000000"),
          // 4 from Peru, the net weight estimated: flag e
          bulk("604", "260300", "1", "0", "400000000", "0", "400000000", "1", "1000000000"),
          // 5 the sea-freight part of line 4: a breakdown, skipped
          bulk("604", "260300", "1", "2100", "300000000", "0", "300000000", "0", "750000000"),
          // 6 cathodes from Chile: weight 0 beside a value of 80 million: missing, not 0 t
          bulk("152", "740311", "1", "0", "0", "0", "0", "0", "80000000"),
          // 7 cathodes from the World: 50 000 t
          bulk("0", "740311", "1", "0", "50000000", "0", "50000000", "0", "400000000"),
          // 8 from Australia, no net weight: qty in kg (estimated) is the weight, flag e
          bulk("36", "260300", "1", "0", "300000000", "1", "", "0", "700000000"));

  @BeforeAll
  static void runOnRealFiles() throws IOException {
    Path landing = dir.resolve("landing");
    Path trade = Files.createDirectories(landing.resolve("trade"));
    copy("real/comtrade/" + EXCERPT, trade.resolve(EXCERPT));
    copy("real/cepii/" + CEPII, trade.resolve(CEPII));
    Files.write(trade.resolve(BULK), gzip(String.join("\n", BULK_LINES) + "\n"));
    // BACI data of the code file's release (synthetic figures, BACI's codes): South Africa as
    // the Southern African Customs Union (711), Taiwan as Other Asia n.e.s. (490), Côte
    // d'Ivoire (384), Belgium-Luxembourg (58).
    Files.writeString(
        trade.resolve(BACI),
        "t,i,j,k,v,q\n"
            + "1995,711,156,260300,100,400\n"
            + "1995,490,392,260300,50,200\n"
            + "1995,384,251,260500,20,10\n"
            + "1995,58,276,260300,10,40\n");
    Files.writeString(
        trade.resolve(STRAY), "This folder holds the trade downloads.\nSee the wiki.\n");

    Path capacity = Files.createDirectories(landing.resolve("capacity"));
    Files.writeString(
        capacity.resolve(PLANTS),
        "plant_id,plant,company,owner_country,country,region,metal,stage,capacity,unit,status,"
            + "start_date,end_date\r\n"
            // doubled quotes in a quoted field: one field, quotes kept
            + "CL-01,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",Andes Copper,,Chile,,copper,"
            + "mine,500,kt,operating,2020,\r\n"
            // quoted delimiters, and quotes inside a quoted company name
            + "CL-02,\"Norte, Sur\",\"Cobre \"\"El Teniente\"\" SA\",,Chile,\"Antofagasta, II\","
            + "copper,smelter,250,kt,operating,2019,\r\n"
            // a line break inside quotes: one record on lines 4 and 5
            + "CL-03,\"Planta\r\nNorte\",Andes Copper,,Chile,,copper,refinery,100,kt,operating,"
            + "2018,\r\n"
            + "CL-04,Fundición Sur,Andes Copper,,Chile,,copper,smelter,50,kt,operating,2018,\r\n",
        StandardCharsets.UTF_8);

    Path production = Files.createDirectories(landing.resolve("production"));
    Files.write(
        production.resolve(LATIN1),
        ("period,country,region,metal,stage,quantity,unit,basis,source,flag\r\n"
                + "2024,Côte d'Ivoire,,copper,mine,1,kt,metal_content,latin1-test,\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    Files.write(
        production.resolve(UTF16),
        ("\uFEFFperiod,country,region,metal,stage,quantity,unit,basis,source,flag\r\n"
                + "2024,Chile,,copper,mine,5000,kt,metal_content,utf16-test,\r\n")
            .getBytes(StandardCharsets.UTF_16LE));
    Files.writeString(
        production.resolve(SEMICOLON),
        "period;country;metal;stage;quantity;unit;source\n"
            + "2024;Peru;copper;mine;2600;kt;semi\n");

    Settings settings =
        testSettings(
            Map.of(
                Settings.LAKE_ROOT, dir.resolve("lake").toString(),
                Settings.LAKE_LANDING, landing.toString()));
    Pipeline p = new Pipeline(spark(), settings, new Progress());
    run = p.run("run", "run", List.of(settings.landing()), false);
    lake = p.lake();
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in = RealFilesTest.class.getClassLoader().getResourceAsStream(resource)) {
      Files.write(to, in.readAllBytes());
    }
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static FileCount count(String name) {
    return run.files().stream()
        .filter(f -> f.file().endsWith(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not ingested: " + run.files()));
  }

  static Dataset<Row> flows(String file) {
    return lake.read(Tables.TRADE_FLOWS).filter(col("_source_file").endsWith(file));
  }

  @Test
  void theStrayFileIsRejectedWithItsReasonAndEveryOtherFileIsIngested() {
    assertEquals(Pipeline.PARTIAL, run.status());
    assertEquals(1, run.rejected().size(), run.rejected().toString());
    assertTrue(run.rejected().get(0).path().endsWith(STRAY));
    assertTrue(run.rejected().get(0).reason().contains("unrecognised header"));
    assertEquals(8, run.files().size());
    Row rejected = lake.read(Tables.REJECTED_FILES).first();
    assertEquals(run.runId(), rejected.getAs("run_id"));
    assertTrue(rejected.<String>getAs("path").endsWith(STRAY));
    Row r = lake.read(Tables.RUNS).first();
    assertEquals("partial", r.getAs("status"));
    assertEquals(1, r.getList(r.fieldIndex("rejected")).size());
    // nothing marks it ingested: the next run looks at it again
    assertEquals(0, lake.read(Tables.INGESTED_FILES).filter(col("path").endsWith(STRAY)).count());
  }

  @Test
  void everyRecordOfEveryFileIsAccountedFor() {
    for (FileCount f : run.files()) {
      assertEquals(f.records(), f.toSilver() + f.quarantined(), f.file());
    }
    // The excerpt: 107 records; 67 are flows of the metals covered (7 without a weight), 40
    // are ores outside them (counted below); no errors.
    FileCount excerpt = count(EXCERPT);
    assertEquals(107, excerpt.records());
    assertEquals(67, excerpt.toSilver());
    assertEquals(40, excerpt.skipped());
    assertEquals(0, excerpt.errors());
    assertEquals(7, count(BULK).records());
    assertEquals(238, count(CEPII).records());
    assertEquals(238, count(CEPII).toSilver());
    assertEquals(4, count(PLANTS).records());
    assertEquals(4, count(PLANTS).toSilver());
    for (String f : List.of(LATIN1, UTF16, SEMICOLON)) {
      assertEquals(1, count(f).records(), f);
      assertEquals(1, count(f).toSilver(), f);
    }
  }

  @Test
  void eachReasonForSkippingAComtradeRowIsCounted() {
    // Worked from the excerpt: HS headings outside ref.hs_scope (iron 2601, manganese 2602,
    // chromium 2610, uranium 2612) are the only records not kept.
    Map<String, Long> byReason = new TreeMap<>();
    for (Row r :
        lake.read(Tables.QUARANTINE)
            .filter(col("_source_file").endsWith(EXCERPT))
            .groupBy("severity", "reason")
            .count()
            .collectAsList()) {
      byReason.put(r.getString(0) + ": " + r.getString(1), r.getLong(2));
    }
    Map<String, Long> expected = new TreeMap<>();
    for (Object[] e : new Object[][] {{"2601", 18L}, {"2602", 5L}, {"2610", 15L}, {"2612", 2L}}) {
      expected.put(
          "skipped: HS code '" + e[0] + "' outside the metals covered (ref.hs_scope)", (Long) e[1]);
    }
    assertEquals(expected, byReason);
    // and in the bulk file, the one breakdown row
    List<Row> bulk =
        lake.read(Tables.QUARANTINE).filter(col("_source_file").endsWith(BULK)).collectAsList();
    assertEquals(1, bulk.size());
    assertEquals(5L, bulk.get(0).<Long>getAs("_line"));
    assertTrue(bulk.get(0).<String>getAs("reason").contains("motCode 2100"));
  }

  @Test
  void chileCopperOreExportsAreThePublishedFigures() {
    // Chile 1995 exports of 2603: NetWgt 783 876 480 kg, PrimaryValue 1 920 327 168 US$.
    Row r =
        flows(EXCERPT)
            .filter("reporter_iso3 = 'CHL' AND flow = 'X' AND commodity_code = '2603'")
            .filter("period = '1995'")
            .first();
    assertEquals(783_876.48, r.<Double>getAs("gross_t"), TOL);
    assertEquals(1_920_327_168.0, r.<Double>getAs("value_usd"), TOL);
    assertEquals("CU", r.getAs("metal"));
    assertEquals("mine", r.getAs("stage"));
    assertEquals("WLD", r.getAs("partner_iso3"));
    assertEquals("H0", r.getAs("hs_vintage"));
    assertEquals("A", r.getAs("freq"));
    // heading 2603 has the one subheading 260300: its factor (0.27, ref hs_commodities.csv)
    assertEquals(783_876.48 * 0.27, r.<Double>getAs("metal_content_t"), TOL);
    // Chile 1990: NetWgt empty, Qty 0: a missing weight, not zero tonnes; the value kept
    Row y1990 =
        flows(EXCERPT)
            .filter("reporter_iso3 = 'CHL' AND flow = 'X' AND commodity_code = '2603'")
            .filter("period = '1990'")
            .first();
    assertTrue(y1990.<Boolean>getAs("weight_missing"));
    assertNull(y1990.getAs("gross_t"));
    assertEquals(522_123_392.0, y1990.<Double>getAs("value_usd"), TOL);
    // USA 1997 imports of 2606 (bauxite): 12 104 877 000 kg
    Row usa =
        flows(EXCERPT)
            .filter("reporter_iso3 = 'USA' AND flow = 'M' AND commodity_code = '2606'")
            .first();
    assertEquals(12_104_877.0, usa.<Double>getAs("gross_t"), TOL);
    assertEquals("AL", usa.getAs("metal"));
  }

  @Test
  void reportersThatNoLongerExistKeepTheirCountries() {
    List<String> reporters = new ArrayList<>();
    for (Row r :
        flows(EXCERPT)
            .filter(col("reporter_iso3").isin("DEU", "BEL", "ZAF", "SCG"))
            .select("reporter_iso3", "period")
            .orderBy("reporter_iso3")
            .collectAsList()) {
      reporters.add(r.getString(0) + " " + r.getString(1));
    }
    // 280 Fed. Rep. of Germany, 58 Belgium-Luxembourg, 711 Southern African Customs Union, 891
    // Serbia and Montenegro
    assertEquals(List.of("BEL 1995", "DEU 1988", "SCG 1992", "ZAF 1992"), reporters);
  }

  @Test
  void molybdenumOresAtFourDigitsMapThroughTheirHeading() {
    // 15 records of Chile and 2 of the United States (ref hs_headings.csv: MO, mine)
    long mo = flows(EXCERPT).filter("commodity_code = '2613'").count();
    assertEquals(17, mo);
    assertEquals(
        17,
        flows(EXCERPT)
            .filter("commodity_code = '2613' AND metal = 'MO' AND stage = 'mine'")
            .count());
  }

  @Test
  void theBulkFileIsReadAndAHeadingIsNeverAddedToItsSubheadings() {
    assertRows(
        List.of(
            row(2L, "CHL", "2603", 1_000_000.0, false, null),
            row(3L, "CHL", "260300", 1_000_000.0, false, null),
            row(4L, "PER", "260300", 400_000.0, false, "e"),
            row(6L, "CHL", "740311", null, true, null),
            row(7L, "WLD", "740311", 50_000.0, false, null),
            row(8L, "AUS", "260300", 300_000.0, false, "e")),
        rows(
            flows(BULK),
            "_line",
            "partner_iso3",
            "commodity_code",
            "gross_t",
            "weight_missing",
            "flags"),
        TOL);
    // Gold: China's copper-ore imports of 2023 from its partners, the heading left out:
    // (1 000 000 + 400 000 + 300 000) t x 0.27 = 459 000 t of copper; Chile 270 000 t of them.
    Row chile =
        lake.read(Tables.IMPORT_SOURCES)
            .filter(
                "reporter_iso3 = 'CHN' AND metal = 'CU' AND stage = 'mine' AND year = 2023"
                    + " AND partner_iso3 = 'CHL' AND source = 'comtrade'")
            .first();
    assertEquals(459_000.0, chile.<Double>getAs("total_imports_t"), TOL);
    assertEquals(270_000.0, chile.<Double>getAs("imports_t"), TOL);
    assertEquals(270_000.0 / 459_000.0 * 100, chile.<Double>getAs("share_pct"), TOL);
  }

  @Test
  void cepiisCodeFileIsTheAuthorityForItsRelease() {
    Dataset<Row> codes = lake.read(Tables.TRADE_COUNTRY_CODES);
    assertEquals(238, codes.count());
    assertEquals(238, codes.filter(col("release").equalTo("V202201")).count());
    Map<Integer, String> iso = new TreeMap<>();
    for (Row r :
        codes.filter(col("code").isin(251, 384, 490, 697, 710, 711, 849)).collectAsList()) {
      iso.put(r.<Integer>getAs("code"), r.getAs("iso3"));
    }
    // 710 and 711 both South Africa; 490 Other Asia, nes (ISO N/A) is Taiwan by its name; 697
    // Europe EFTA, nes an area; 849 US Misc. Pacific Isds an area as the bundled list says; 384
    // read from Latin-1 as Côte d'Ivoire.
    assertEquals(
        Map.of(251, "FRA", 384, "CIV", 490, "TWN", 697, "XOC", 710, "ZAF", 711, "ZAF", 849, "XOC"),
        iso);
    assertEquals(
        "Côte d'Ivoire", codes.filter(col("code").equalTo(384)).first().<String>getAs("name"));
    List<String> exporters = new ArrayList<>();
    for (Row r :
        flows(BACI).filter("flow = 'X'").orderBy("_line").select("reporter_iso3").collectAsList()) {
      exporters.add(r.getString(0));
    }
    assertEquals(List.of("ZAF", "TWN", "CIV", "BEL"), exporters);
  }

  @Test
  void rfc4180QuotingIsReadAsWritten() {
    Map<String, String> names = new TreeMap<>();
    Map<String, Long> lines = new TreeMap<>();
    for (Row r : lake.read(Tables.CAPACITY).collectAsList()) {
      names.put(r.getAs("plant_id"), r.getAs("plant") + " | " + r.getAs("company"));
      lines.put(r.getAs("plant_id"), r.getAs("_line"));
    }
    assertEquals("=HYPERLINK(\"http://x\",\"click\") | Andes Copper", names.get("CL-01"));
    assertEquals("Norte, Sur | Cobre \"El Teniente\" SA", names.get("CL-02"));
    assertEquals("Planta\r\nNorte | Andes Copper", names.get("CL-03"));
    assertEquals("Fundición Sur | Andes Copper", names.get("CL-04"));
    assertEquals(Map.of("CL-01", 2L, "CL-02", 3L, "CL-03", 4L, "CL-04", 6L), lines);
    Row cl02 = lake.read(Tables.CAPACITY).filter("plant_id = 'CL-02'").first();
    assertEquals("Antofagasta, II", cl02.getAs("region"));
    assertEquals(250_000.0, cl02.<Double>getAs("capacity_t"), TOL);
  }

  @Test
  void latin1Utf16AndSemicolonFilesAreRead() {
    Dataset<Row> p = lake.read(Tables.PRODUCTION);
    assertEquals(1, p.filter("source = 'latin1-test' AND country_iso3 = 'CIV'").count());
    assertEquals(
        5_000_000.0, p.filter("source = 'utf16-test'").first().<Double>getAs("quantity_t"), TOL);
    assertEquals(2_600_000.0, p.filter("source = 'semi'").first().<Double>getAs("quantity_t"), TOL);
    Map<String, String> layouts = new TreeMap<>();
    for (Row r : lake.read(Tables.INGESTED_FILES).select("path", "layout").collectAsList()) {
      String path = r.getString(0);
      layouts.put(path.substring(path.lastIndexOf('/') + 1), r.getString(1));
    }
    assertEquals("windows-1252, comma", layouts.get(LATIN1));
    assertEquals("UTF-16LE (BOM), comma", layouts.get(UTF16));
    assertEquals("UTF-8, semicolon", layouts.get(SEMICOLON));
    assertEquals("gzip, UTF-8, tab", layouts.get(BULK));
    assertEquals("UTF-8 (BOM), comma", layouts.get(EXCERPT));
    assertEquals("windows-1252, comma", layouts.get(CEPII));
  }
}
