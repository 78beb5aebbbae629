package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.Progress;
import org.metalslake.ops.RejectedFile;
import org.metalslake.storage.Export;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * The hostile-input catalogue: one small file per kind of bad input, all landed together and
 * ingested by one run, each with the outcome it must have — a fact, a quarantine row with a named
 * reason, or the file rejected with a named reason. Every readable file also holds one good control
 * record with its own source name ({@code k01}, {@code k02}, …): it must be a fact whatever its
 * neighbours hold, which is what "no other file is affected" means. For every file, records = to
 * silver + quarantined in {@code ops.runs}.
 *
 * <p>The files are written by the test (synthetic, built to provoke one failure each); the expected
 * reasons are the product's messages, quoted from the rules that make them.
 */
class HostileInputTest extends SparkTest {
  @TempDir static Path dir;

  static final String HEADER = "period,country,region,metal,stage,quantity,unit,basis,source,flag";

  /** What a file must give. */
  enum Kind {
    /** Every record a fact. */
    FACTS,
    /** The record on {@code line} quarantined, its reason containing {@code text}. */
    QUARANTINED,
    /** The file rejected, the reason containing {@code text}. */
    REJECTED
  }

  record Case(String file, Kind kind, int line, String text, String severity) {}

  static final List<Case> CASES = new ArrayList<>();
  static final Map<String, byte[]> FILES = new LinkedHashMap<>();
  static Pipeline.Result result;
  static Lake lake;

  /** A generic production file: the header, the control record, then {@code lines}. */
  static void production(String name, Charset cs, String nl, String... lines) {
    List<String> all = new ArrayList<>();
    all.add(HEADER);
    all.add("2023-01,Chile,,copper,mine,1000,t,metal_content," + control(name) + ",");
    // The hostile lines' source is the file's own (t07 …): no two files share a silver key.
    String own = ",t" + name.substring(1, 3) + ",";
    for (String l : lines) {
      all.add(l.replace(",test,", own));
    }
    FILES.put(name, (String.join(nl, all) + nl).getBytes(cs));
  }

  static void production(String name, String... lines) {
    production(name, StandardCharsets.UTF_8, "\n", lines);
  }

  /** The control record's source: k + the file's number ({@code p07-… → k07}). */
  static String control(String name) {
    return "k" + name.substring(1, 3);
  }

  static void expect(String file, Kind kind, int line, String text) {
    CASES.add(new Case(file, kind, line, text, "error"));
  }

  static void expectSkipped(String file, int line, String text) {
    CASES.add(new Case(file, Kind.QUARANTINED, line, text, "skipped"));
  }

  static final String PERU = "2023-01,Peru,,copper,mine,";
  static final String TAIL = ",t,metal_content,test,";

  @BeforeAll
  static void landAndRun() throws IOException {
    // Numbers.
    production("p01-unparseable.csv", PERU + "12x" + TAIL);
    expect("p01-unparseable.csv", Kind.QUARANTINED, 3, "unparseable number '12x'");
    production("p02-negative.csv", PERU + "-5" + TAIL);
    expect("p02-negative.csv", Kind.QUARANTINED, 3, "negative quantity");
    production("p03-nan.csv", PERU + "NaN" + TAIL);
    expect("p03-nan.csv", Kind.QUARANTINED, 3, "non-finite quantity 'NaN'");
    production("p04-infinity.csv", PERU + "Infinity" + TAIL);
    expect("p04-infinity.csv", Kind.QUARANTINED, 3, "non-finite quantity 'Infinity'");
    production("p05-minus-inf.csv", PERU + "-INF" + TAIL);
    expect("p05-minus-inf.csv", Kind.QUARANTINED, 3, "non-finite quantity '-INF'");
    production("p06-implausible.csv", PERU + "1e30,kt,metal_content,test,");
    expect(
        "p06-implausible.csv",
        Kind.QUARANTINED,
        3,
        "implausible quantity '1e30' kt (above 1,000,000,000 t, ingest.max-quantity-t)");
    production("p07-thousands.csv", PERU + "\"1,234\"" + TAIL);
    expect("p07-thousands.csv", Kind.FACTS, 0, null);
    production("p08-decimal-comma.csv", PERU + "\"1,5\"" + TAIL);
    expect(
        "p08-decimal-comma.csv", Kind.QUARANTINED, 3, "unparseable number '1,5' (a decimal comma");
    // Unknown codes and words.
    production("p09-unknown-country.csv", "2023-01,Atlantis,,copper,mine,5" + TAIL);
    expect("p09-unknown-country.csv", Kind.QUARANTINED, 3, "unknown country 'Atlantis'");
    production("p10-unknown-metal.csv", "2023-01,Peru,,unobtainium,mine,5" + TAIL);
    expect("p10-unknown-metal.csv", Kind.QUARANTINED, 3, "unknown metal 'unobtainium'");
    production("p11-unknown-stage.csv", "2023-01,Peru,,copper,dreaming,5" + TAIL);
    expect("p11-unknown-stage.csv", Kind.QUARANTINED, 3, "unknown stage 'dreaming'");
    production("p12-unknown-unit.csv", PERU + "5,furlongs,metal_content,test,");
    expect("p12-unknown-unit.csv", Kind.QUARANTINED, 3, "unknown unit 'furlongs'");
    production("p13-unknown-basis.csv", PERU + "5,t,vibes,test,");
    expect("p13-unknown-basis.csv", Kind.QUARANTINED, 3, "unknown basis 'vibes'");
    // Periods and dates.
    production("p14-month-13.csv", "2023-13,Peru,,copper,mine,5" + TAIL);
    expect("p14-month-13.csv", Kind.QUARANTINED, 3, "impossible period '2023-13'");
    production("p15-month-00.csv", "2023-00,Peru,,copper,mine,5" + TAIL);
    expect("p15-month-00.csv", Kind.QUARANTINED, 3, "impossible period '2023-00'");
    // Blank keys.
    production("p16-blank-country.csv", "2023-01,,,copper,mine,5" + TAIL);
    expect("p16-blank-country.csv", Kind.QUARANTINED, 3, "unknown country empty");
    production("p17-blank-metal.csv", "2023-01,Peru,,,mine,5" + TAIL);
    expect("p17-blank-metal.csv", Kind.QUARANTINED, 3, "unknown metal empty");
    // Duplicates inside a file.
    production("p18-conflict.csv", PERU + "5" + TAIL, PERU + "6" + TAIL);
    expect("p18-conflict.csv", Kind.QUARANTINED, 3, "conflicting values (lines 3, 4)");
    expect("p18-conflict.csv", Kind.QUARANTINED, 4, "conflicting values (lines 3, 4)");
    production("p19-exact-duplicate.csv", PERU + "5" + TAIL, PERU + "5" + TAIL);
    expect("p19-exact-duplicate.csv", Kind.QUARANTINED, 4, "exact duplicate of line 3");
    // Field counts and quoting (RFC 4180).
    production("p20-too-many-fields.csv", PERU + "5" + TAIL + ",extra,more");
    expect("p20-too-many-fields.csv", Kind.QUARANTINED, 3, "12 fields where the header has 10");
    production("p21-too-few-fields.csv", PERU + "5");
    expect("p21-too-few-fields.csv", Kind.QUARANTINED, 3, "6 fields where the header has 10");
    production("p22-quoted-delimiter.csv", "2023-01,\"Korea, Republic of\",,copper,mine,5" + TAIL);
    expect("p22-quoted-delimiter.csv", Kind.FACTS, 0, null);
    production("p23-doubled-quotes.csv", PERU + "5,t,metal_content,\"te\"\"st\",");
    expect("p23-doubled-quotes.csv", Kind.FACTS, 0, null);
    production(
        "p24-line-break.csv",
        PERU + "5,t,metal_content,\"two\nlines\",",
        "2023-02,Peru,,copper,mine,6" + TAIL);
    expect("p24-line-break.csv", Kind.FACTS, 0, null);
    production("p25-blank-lines.csv", "", PERU + "5" + TAIL, "", "");
    expect("p25-blank-lines.csv", Kind.FACTS, 0, null);
    production("p26-comment-line.csv", "# a comment line", PERU + "5" + TAIL);
    expect("p26-comment-line.csv", Kind.QUARANTINED, 3, "1 fields where the header has 10");
    production("p27-200kb-field.csv", PERU + "5" + TAIL + "x".repeat(200_000));
    expect("p27-200kb-field.csv", Kind.QUARANTINED, 3, "unknown flag 'xxxx");
    // Character sets, byte-order marks, line ends.
    production(
        "p28-latin1.csv",
        StandardCharsets.ISO_8859_1,
        "\n",
        "2023-01,C\u00f4te d'Ivoire,,copper,mine,5" + TAIL);
    expect("p28-latin1.csv", Kind.FACTS, 0, null);
    production(
        "p29-windows-1252.csv",
        Charset.forName("windows-1252"),
        "\n",
        "2023-01,C\u00f4te d\u2019Ivoire,,copper,mine,5" + TAIL);
    expect("p29-windows-1252.csv", Kind.FACTS, 0, null);
    production("p30-utf16.csv", StandardCharsets.UTF_16, "\n", PERU + "5" + TAIL);
    expect("p30-utf16.csv", Kind.FACTS, 0, null);
    production("p31-crlf.csv", StandardCharsets.UTF_8, "\r\n", PERU + "5" + TAIL);
    expect("p31-crlf.csv", Kind.FACTS, 0, null);
    byte[] plain =
        (HEADER + "\r\n2023-01,Chile,,copper,mine,1000,t,metal_content,k32,\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] bom = new byte[plain.length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(plain, 0, bom, 3, plain.length);
    FILES.put("p32-bom-crlf.csv", bom);
    expect("p32-bom-crlf.csv", Kind.FACTS, 0, null);
    // Files that cannot be read, or read as nothing.
    FILES.put("p33-empty.csv", new byte[0]);
    expect("p33-empty.csv", Kind.REJECTED, 0, "empty file (0 bytes)");
    FILES.put("p34-header-only.csv", (HEADER + "\n").getBytes(StandardCharsets.UTF_8));
    expect("p34-header-only.csv", Kind.FACTS, 0, null);
    FILES.put("p35-truncated.csv.gz", truncatedGzip());
    expect("p35-truncated.csv.gz", Kind.REJECTED, 0, "truncated or corrupt gzip");
    byte[] binary = new byte[2048];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    FILES.put("p36-binary.csv", binary);
    expect("p36-binary.csv", Kind.REJECTED, 0, "binary content");
    FILES.put("p37-unknown-header.csv", "foo,bar,baz\n1,2,3\n".getBytes(StandardCharsets.UTF_8));
    expect("p37-unknown-header.csv", Kind.REJECTED, 0, "unrecognised header");
    // Text that looks like a formula is kept as text (and exported safely, below).
    production("p38-formula.csv", PERU + "5,t,metal_content,\"=HYPERLINK(\"\"x\"\")\",");
    expect("p38-formula.csv", Kind.FACTS, 0, null);
    // Other formats' vocabularies: currency, date, plant status, HS code, reporter code.
    FILES.put(
        "p39-unknown-currency.csv",
        ("date,metal,market,series,basis,price,currency,unit,source\n"
                + "2023-01-02,copper,LME cash,price,grade A cathode,8403.2,USD,t,k39\n"
                + "2023-01-03,copper,LME cash,price,grade A cathode,8403.2,XYZ,t,k39\n")
            .getBytes(StandardCharsets.UTF_8));
    expect("p39-unknown-currency.csv", Kind.QUARANTINED, 3, "unknown currency 'XYZ'");
    FILES.put(
        "p40-impossible-date.csv",
        ("date,metal,market,series,basis,price,currency,unit,source\n"
                + "2023-01-02,copper,LME cash,price,grade A cathode,8403.2,USD,t,k40\n"
                + "2023-02-30,copper,LME cash,price,grade A cathode,8403.2,USD,t,k40\n")
            .getBytes(StandardCharsets.UTF_8));
    expect("p40-impossible-date.csv", Kind.QUARANTINED, 3, "impossible date '2023-02-30'");
    FILES.put(
        "p41-unknown-status.csv",
        ("plant_id,plant,company,owner_country,country,region,metal,stage,capacity,unit,status,"
                + "start_date,end_date,basis,source\n"
                + "X-1,P1,C1,Chile,Chile,,copper,smelter,100,kt,operating,2001,,metal_content,k41\n"
                + "X-2,P2,C1,Chile,Chile,,copper,smelter,100,kt,dormant,2001,,metal_content,k41\n")
            .getBytes(StandardCharsets.UTF_8));
    expect("p41-unknown-status.csv", Kind.QUARANTINED, 3, "unknown status 'dormant'");
    FILES.put("p42-hs-code.csv", comtrade("36,AUS,Australia", "260300", "999999", "156,CHN,China"));
    expectSkipped("p42-hs-code.csv", 3, "HS code '999999' outside the metals covered");
    FILES.put(
        "p43-reporter-code.csv", comtrade("32,ARG,Argentina", "260300", "260300", "999,,Nowhere"));
    expect("p43-reporter-code.csv", Kind.QUARANTINED, 3, "unknown reporter '999'");
    production(
        "p44-decimal-comma-file.csv",
        PERU + "\"2,5\"" + TAIL,
        "2023-02,Peru,,copper,mine,\"1,234\"" + TAIL);
    expect("p44-decimal-comma-file.csv", Kind.QUARANTINED, 3, "unparseable number '2,5'");
    expect("p44-decimal-comma-file.csv", Kind.QUARANTINED, 4, "'1,234' (ambiguous");

    Path landing = Files.createDirectories(dir.resolve("landing"));
    for (Map.Entry<String, byte[]> f : FILES.entrySet()) {
      Files.write(landing.resolve(f.getKey()), f.getValue());
    }
    Settings settings =
        testSettings(
            Map.of(
                Settings.LAKE_ROOT, dir.resolve("lake").toString(),
                Settings.LAKE_LANDING, landing.toString()));
    Pipeline p = new Pipeline(spark(), settings, new Progress());
    result = p.run("run", "run", List.of(settings.landing()), false);
    lake = p.lake();
  }

  /** A Comtrade+ file: a good import from {@code partner}, then one of {@code code} by reporter. */
  static byte[] comtrade(String goodPartner, String goodCode, String code, String reporter) {
    String header =
        "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
            + "reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,"
            + "partner2ISO,partner2Desc,classificationCode,cmdCode,cmdDesc,aggrLevel,isLeaf,"
            + "customsCode,mosCode,motCode,qtyUnitCode,qtyUnitAbbr,qty,netWgt,grossWgt,cifvalue,"
            + "fobvalue,primaryValue,isReported,isAggregate\n";
    String good =
        "C,M,20230101,2023,1,202301,156,CHN,China,M,Import,"
            + goodPartner
            + ",0,W00,World,H6,"
            + goodCode
            + ",Copper ores,6,True,C00,0,0,8,kg,1000,1000,,5000,,5000,True,False\n";
    String bad =
        "C,M,20230101,2023,1,202301,"
            + reporter
            + ",M,Import,36,AUS,Australia,0,W00,World,H6,"
            + code
            + ",Something,6,True,C00,0,0,8,kg,1000,1000,,5000,,5000,True,False\n";
    return (header + good + bad).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] truncatedGzip() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      StringBuilder s = new StringBuilder(HEADER + "\n");
      for (int i = 0; i < 200; i++) {
        s.append("2023-01,Chile,,copper,mine,").append(i).append(",t,metal_content,k35,\n");
      }
      gz.write(s.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = out.toByteArray();
    return java.util.Arrays.copyOf(all, all.length / 2);
  }

  static FileCount count(String file) {
    return result.files().stream()
        .filter(f -> f.file().endsWith("/" + file))
        .findFirst()
        .orElse(null);
  }

  @Test
  void theCatalogueHasAtLeastFortyKinds() {
    assertTrue(FILES.size() >= 40, FILES.size() + " kinds");
    assertEquals(
        FILES.keySet(),
        CASES.stream().map(Case::file).collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void everyReadableFileReconcilesInOpsRunsAndKeepsItsControlFact() {
    assertEquals("partial", result.status(), "some files are rejected, every other one ingested");
    Row run = lake.read(Tables.RUNS).filter(col("run_id").equalTo(result.runId())).first();
    Map<String, Row> logged = new LinkedHashMap<>();
    for (Row f : run.<Row>getList(run.fieldIndex("files"))) {
      String path = f.getAs("file");
      logged.put(path.substring(path.lastIndexOf('/') + 1), f);
    }
    List<String> controls = new ArrayList<>();
    for (String file : FILES.keySet()) {
      boolean rejected =
          CASES.stream().anyMatch(c -> c.file().equals(file) && c.kind() == Kind.REJECTED);
      if (rejected) {
        assertFalse(logged.containsKey(file), file + " is rejected, not ingested");
        continue;
      }
      Row f = logged.get(file);
      assertNotNull(f, file + " in ops.runs");
      long records = f.getAs("records");
      long toSilver = f.getAs("to_silver");
      long quarantined = f.getAs("quarantined");
      assertEquals(records, toSilver + quarantined, file + ": records = to silver + quarantined");
      long expectedQuarantined =
          CASES.stream().filter(c -> c.file().equals(file) && c.kind() == Kind.QUARANTINED).count();
      assertEquals(expectedQuarantined, quarantined, file + ": quarantined records");
      if (!file.equals("p34-header-only.csv")) {
        controls.add(control(file));
      }
    }
    // Every control record is a fact of its silver table, whatever the file's other lines hold.
    List<String> found = new ArrayList<>();
    for (var t : List.of(Tables.PRODUCTION, Tables.PRICES, Tables.CAPACITY)) {
      lake.read(t)
          .filter(col("source").startsWith("k"))
          .select("source")
          .distinct()
          .collectAsList()
          .forEach(r -> found.add(r.getString(0)));
    }
    controls.removeIf(c -> c.equals("k42") || c.equals("k43")); // trade files: checked below
    for (String c : controls) {
      assertTrue(found.contains(c), "control fact of " + c + " is in silver");
    }
    // The two trade files' good imports: from Australia and from Argentina.
    assertEquals(
        2,
        lake.read(Tables.TRADE_FLOWS)
            .filter(col("reporter_iso3").equalTo("CHN").and(col("flow").equalTo("M")))
            .select("partner_iso3")
            .distinct()
            .count());
  }

  @Test
  void eachBadRecordIsQuarantinedWithItsReason() {
    List<Row> q =
        lake.read(Tables.QUARANTINE)
            .select("_source_file", "_line", "severity", "reason")
            .collectAsList();
    for (Case c : CASES) {
      if (c.kind() != Kind.QUARANTINED) {
        continue;
      }
      Row r =
          q.stream()
              .filter(x -> x.getString(0).endsWith("/" + c.file()) && x.getLong(1) == c.line())
              .findFirst()
              .orElse(null);
      assertNotNull(r, c.file() + " line " + c.line() + " is quarantined");
      assertEquals(c.severity(), r.getString(2), c.file());
      assertTrue(
          r.getString(3).contains(c.text()),
          c.file() + ": reason '" + r.getString(3) + "' names '" + c.text() + "'");
    }
    // A quoted value is cut in a reason: the 200 KB field is not copied into it whole.
    Row huge =
        q.stream().filter(x -> x.getString(0).endsWith("/p27-200kb-field.csv")).findFirst().get();
    assertTrue(huge.getString(3).length() < 300, huge.getString(3).length() + " characters");
    assertTrue(huge.getString(3).contains("200,000 characters"), huge.getString(3));
  }

  @Test
  void unreadableFilesAreRejectedWithTheirReasonAndStopNothingElse() {
    for (Case c : CASES) {
      if (c.kind() != Kind.REJECTED) {
        continue;
      }
      RejectedFile r =
          result.rejected().stream()
              .filter(x -> x.path().endsWith("/" + c.file()))
              .findFirst()
              .orElse(null);
      assertNotNull(r, c.file() + " is rejected");
      assertTrue(r.reason().contains(c.text()), c.file() + ": " + r.reason());
      assertTrue(
          r.reason().chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f),
          c.file() + ": the reason is printable");
    }
    assertEquals(
        CASES.stream().filter(c -> c.kind() == Kind.REJECTED).count(), result.rejected().size());
  }

  @Test
  void valuesThatMustSurviveParsingArriveIntact() {
    Map<String, Row> k = new LinkedHashMap<>();
    for (Row r :
        lake.read(Tables.PRODUCTION)
            .select("_source_file", "country_iso3", "source", "quantity_t", "period")
            .collectAsList()) {
      String f = r.getString(0);
      k.put(f.substring(f.lastIndexOf('/') + 1) + "|" + r.getString(4) + "|" + r.getString(1), r);
    }
    // "1,234" with a thousands separator in a file without decimal commas: 1,234 t.
    assertEquals(1234.0, k.get("p07-thousands.csv|2023-01|PER").getDouble(3), 1e-9);
    // A quoted delimiter inside a country name.
    assertNotNull(k.get("p22-quoted-delimiter.csv|2023-01|KOR"), "Korea, Republic of");
    // Doubled quotes are one quote; a line break inside quotes is part of the value.
    assertEquals("te\"st", k.get("p23-doubled-quotes.csv|2023-01|PER").getString(2));
    assertEquals("two\nlines", k.get("p24-line-break.csv|2023-01|PER").getString(2));
    assertEquals(6.0, k.get("p24-line-break.csv|2023-02|PER").getDouble(3), 1e-9);
    // Côte d'Ivoire read right in Latin-1 and in Windows-1252 (with a curly apostrophe).
    assertNotNull(k.get("p28-latin1.csv|2023-01|CIV"), "Latin-1 Côte d'Ivoire");
    assertNotNull(k.get("p29-windows-1252.csv|2023-01|CIV"), "Windows-1252 Côte d’Ivoire");
    assertNotNull(k.get("p30-utf16.csv|2023-01|PER"), "UTF-16 file");
    assertNotNull(k.get("p32-bom-crlf.csv|2023-01|CHL"), "BOM and CRLF");
    // Formula-looking text is kept as it was, and a CSV export defuses it.
    Row formula = k.get("p38-formula.csv|2023-01|PER");
    assertEquals("=HYPERLINK(\"x\")", formula.getString(2));
    String exported =
        Export.forCsv(
                lake.read(Tables.PRODUCTION)
                    .filter(col("source").startsWith("=HYPERLINK"))
                    .select("source"))
            .first()
            .getString(0);
    assertEquals("'=HYPERLINK(\"x\")", exported);
    // The header-only file is ingested with no records.
    assertEquals(0, count("p34-header-only.csv").records());
  }
}
