package org.metalslake.ref;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.testing.SparkTest;

/**
 * The fingerprints that decide whether a ref.* table is rewritten: a digest of the records behind
 * the table (not of the file's bytes), changed by its own files and the content-factor overrides
 * only; and the reference data's own checks.
 */
class RefDataTest extends SparkTest {
  private static RefData bundled;

  @BeforeAll
  static void load() {
    bundled = RefData.load(spark(), "");
  }

  /** {@code lines} (header first) written as {@code name} in {@code dir}, fields quoted. */
  private static void write(Path dir, String name, List<List<String>> lines, String sep, Charset cs)
      throws IOException {
    String text =
        lines.stream()
            .map(
                r ->
                    r.stream()
                        .map(f -> "\"" + f.replace("\"", "\"\"") + "\"")
                        .collect(Collectors.joining(sep)))
            .collect(Collectors.joining("\r\n", "", "\r\n"));
    Files.write(dir.resolve(name), text.getBytes(cs));
  }

  private static Map<String, String> fingerprints(RefData ref) {
    return ref.tables().keySet().stream()
        .collect(Collectors.toMap(t -> t, ref::fingerprint, (a, b) -> a, TreeMap::new));
  }

  @Test
  void fingerprintsReadFromTheFilesAloneAreTheLoadedData(@TempDir Path dir) throws IOException {
    // What a run compares with the lake before it loads anything must be what it would tag the
    // tables with after loading: for the bundled files, and for an overridden file with content
    // factors given in any form of HS code.
    assertEquals(
        fingerprints(bundled),
        new TreeMap<>(
            RefData.fingerprints(new org.apache.hadoop.conf.Configuration(), "", Map.of())));
    assertEquals(RefData.TABLES, List.copyOf(bundled.tables().keySet()));
    List<List<String>> metals = RefData.rows("metals.csv", "");
    write(dir, "metals.csv", metals, ";", StandardCharsets.UTF_8);
    Map<String, Double> factors = Map.of("2603.00", 0.25);
    RefData overridden = RefData.load(spark(), dir.toString()).withContentFactors(factors);
    assertEquals(
        fingerprints(overridden),
        new TreeMap<>(
            RefData.fingerprints(
                new org.apache.hadoop.conf.Configuration(), dir.toString(), factors)));
  }

  @Test
  void refDirIsReadThroughHadoopsFileSystemAndMustExistWhenSet(@TempDir Path dir)
      throws IOException {
    // A file:// URI goes through Hadoop's FileSystem as s3a:// and hdfs:// do.
    List<List<String>> metals = RefData.rows("metals.csv", "");
    write(dir, "metals.csv", metals, ";", StandardCharsets.UTF_8);
    RefData viaUri = RefData.load(spark(), dir.toUri().toString());
    assertEquals(bundled.fingerprint("metals"), viaUri.fingerprint("metals"));
    String missing = dir.resolve("no-such-folder").toUri().toString();
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> RefData.load(spark(), missing));
    assertEquals(
        "ref.dir "
            + missing
            + " is not a folder (it does not exist, or is a file): set it to a folder of"
            + " reference CSV files (local, s3a:// or hdfs://), or leave it empty for the bundled"
            + " ones",
        e.getMessage());
  }

  @Test
  void aFileSavedOtherwiseWithTheSameRecordsKeepsItsFingerprints(@TempDir Path dir)
      throws IOException {
    write(
        dir,
        "countries.csv",
        RefData.rows("countries.csv", null),
        ";",
        Charset.forName("windows-1252"));
    assertEquals(fingerprints(bundled), fingerprints(RefData.load(spark(), dir.toString())));
  }

  @Test
  void anOverriddenFileChangesTheFingerprintsOfItsTablesOnly(@TempDir Path dir) throws IOException {
    List<List<String>> areas = new ArrayList<>(RefData.rows("trade_areas.csv", null));
    areas.add(List.of("9990", "Test area, nes", "XOC"));
    write(dir, "trade_areas.csv", areas, ",", StandardCharsets.UTF_8);
    RefData ref = RefData.load(spark(), dir.toString());

    Map<String, String> before = fingerprints(bundled);
    Map<String, String> after = fingerprints(ref);
    for (String table : before.keySet()) {
      if (table.equals("trade_country_codes")) {
        assertNotEquals(before.get(table), after.get(table), table);
      } else {
        assertEquals(before.get(table), after.get(table), table);
      }
    }
    Row area = ref.tables().get("trade_country_codes").filter(col("code").equalTo(9990)).first();
    assertEquals(RowFactory.create(9990, "XOC", "other", "Test area, nes"), area);
  }

  @Test
  void releaseCodesKeepTheFingerprintsContentFactorsChangeThem() {
    RefData withCodes =
        bundled.withReleaseTradeCodes(
            spark()
                .createDataFrame(
                    List.of(RowFactory.create("comtrade", "R1", 36, "NZL", "country")),
                    StructType.fromDDL(
                        "source STRING, release STRING, code INT, iso3 STRING, kind STRING")));
    assertEquals(fingerprints(bundled), fingerprints(withCodes));
    assertSame(bundled, bundled.withContentFactors(Map.of()));

    RefData factors = withCodes.withContentFactors(Map.of("2603.00", 0.3));
    assertNotEquals(bundled.fingerprint("hs_commodities"), factors.fingerprint("hs_commodities"));
    assertNotEquals(bundled.fingerprint("hs_headings"), factors.fingerprint("hs_headings"));
    Row ores =
        factors
            .hsCommodities()
            .filter(col("hs_code").equalTo("260300"))
            .select("content_factor", "factor_source")
            .first();
    assertEquals(
        RowFactory.create(0.3, "overridden in configuration (trade.content-factors)"), ores);
    // The copy keeps the release's code list.
    Row nz =
        factors
            .withTradeCountryCode(
                spark().sql("select '36' as k, 'comtrade' as s, 'R1' as r"),
                "k",
                col("s"),
                col("r"),
                "c")
            .select("c", "c_kind")
            .first();
    assertEquals(RowFactory.create("NZL", "country"), nz);
  }

  @Test
  void aNameOfTwoCountriesIsAnError(@TempDir Path dir) throws IOException {
    List<List<String>> countries = new ArrayList<>(RefData.rows("countries.csv", null));
    countries.add(List.of("XXA", "XA", "999", "Test land", "country", "Chile", ""));
    write(dir, "countries.csv", countries, ",", StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RefData.load(spark(), dir.toString()));
    assertEquals(
        "reference file countries.csv: name 'chile' is used for both CHL and XXA", e.getMessage());
  }

  @Test
  void aContentFactorOutsideZeroToOneIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> bundled.withContentFactors(Map.of("260300", 1.5)));
    assertEquals("content factor of HS 260300 must be in (0, 1], not 1.5", e.getMessage());
  }
}
