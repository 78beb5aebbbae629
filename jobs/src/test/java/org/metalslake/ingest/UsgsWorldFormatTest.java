package org.metalslake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.pipeline.Pipeline;
import org.metalslake.ref.RefData;
import org.metalslake.sources.Formats;
import org.metalslake.sources.SourceFormat;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * The USGS MCS world data file as downloaded (SPEC §5), read the way the pipeline reads it:
 * Landing, header, Formats.detect, Bronze.read, then the format's conform.
 */
class UsgsWorldFormatTest extends SparkTest {
  private static final double TOL = 1e-6;

  /** Physical lines of the file; line 1 is the header. */
  static final List<String> LINES =
      List.of(
          /* 1 */ "SOURCE,COMMODITY,COUNTRY,TYPE,UNIT_MEAS,PROD_2023,PROD_EST_ 2024,PROD_NOTES",
          /* 2 */ "MCS2025,Copper ,United States,\"Mine production, recoverable copper content\","
              + "thousand metric tons,1130,1100,",
          /* 3 */ "MCS2025,Copper ,Canada ,\"Mine production, recoverable copper content\","
              + "thousand metric tons,500,450,",
          /* 4 */ "MCS2025,Copper ,\"Korea, Republic of\",\"Refinery production, copper\","
              + "thousand metric tons,604,620,",
          /* 5 */ "MCS2025,Copper ,Other Countries,\"Mine production, recoverable copper content\","
              + "thousand metric tons,3020,2700,",
          /* 6 */ "MCS2025,Copper ,World total (rounded),"
              + "\"Mine production, recoverable copper content\",thousand metric tons,22600,23000,",
          /* 7 */ "",
          /* 8 */ "MCS2025,Zinc,United States,\"Mine production, zinc content\","
              + "thousand metric tons,W,W,",
          /* 9 */ "MCS2025,Cement,United States,Cement production,thousand metric tons,"
              + "91000,90000,",
          /* 10 */ "MCS2025,Antimony,World total (rounded) 10,"
              + "\"Mine production, antimony content\",metric tons,106000,100000,",
          /* 11 */ "MCS2025,Copper ,Germany,\"Mine production, recoverable copper content\","
              + "thousand metric tons,,,");

  private static RefData ref;

  @TempDir static Path dir;

  @BeforeAll
  static void loadRef() {
    ref = RefData.load(spark(), "");
  }

  /** Writes the lines as USGS does: UTF-8 with a BOM, CRLF line ends. */
  static Path write(String folder, String name, List<String> lines) throws IOException {
    Path d = Files.createDirectories(dir.resolve(folder));
    Path f = d.resolve(name);
    Files.write(
        f, ("\uFEFF" + String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));
    return f;
  }

  static Pipeline.Conformed read(Path file) {
    Pipeline.Conformed c =
        Pipeline.conformFiles(spark(), testSettings(Map.of()), List.of(file.toString()), ref);
    assertEquals(1, c.files().size() + c.rejected().size(), "one file landed");
    return c;
  }

  /** Reads a file through the pipeline's own steps; returns the silver candidates. */
  static Dataset<Row> ingest(Path file) {
    return read(file).facts().get(Tables.PRODUCTION);
  }

  /** Flags as a sorted set, so "e,W" and "W,e" compare equal. */
  static String sortedFlags(String flags) {
    if (flags == null) {
      return null;
    }
    String[] f = flags.split(",");
    Arrays.sort(f);
    return String.join(",", f);
  }

  @Test
  void detectsTheFormatDespiteBomAndBlankInTheHeader() throws IOException {
    Path f = write("detect", "MCS2025_World_Data.csv", LINES);
    LandedFile lf = read(f).files().get(0);
    List<String> header = lf.header();
    // BOM stripped, the blank in "PROD_EST_ 2024" kept as published; bronze names it plainly
    assertEquals("SOURCE", header.get(0));
    assertEquals("PROD_EST_ 2024", header.get(6));
    assertEquals("usgs-mcs-world", lf.format().name());
    assertEquals("prod_est_2024", Bronze.columnNames(lf.format(), header).get(6));
    assertEquals("UTF-8 (BOM), comma", lf.layout().describe());
  }

  @Test
  void conformsTheWorldFile() throws IOException {
    Path f = write("world", "MCS2025_World_Data.csv", LINES);
    Dataset<Row> out = ingest(f);

    Dataset<Row> facts = out.filter(col("_reason").isNull().and(col("_line").notEqual(8)));
    assertRows(
        List.of(
            // thousand metric tons * 1000; PROD_EST_ 2024 values are estimates → e
            row(2L, "USA", "country", "CU", "mine", "2023", 1130000.0, null),
            row(2L, "USA", "country", "CU", "mine", "2024", 1100000.0, "e"),
            // "Canada " with its trailing blank is Canada
            row(3L, "CAN", "country", "CU", "mine", "2023", 500000.0, null),
            row(3L, "CAN", "country", "CU", "mine", "2024", 450000.0, "e"),
            // quoted "Korea, Republic of" is one field
            row(4L, "KOR", "country", "CU", "refinery", "2023", 604000.0, null),
            row(4L, "KOR", "country", "CU", "refinery", "2024", 620000.0, "e"),
            // Other Countries → XOC, never a country
            row(5L, "XOC", "other", "CU", "mine", "2023", 3020000.0, null),
            row(5L, "XOC", "other", "CU", "mine", "2024", 2700000.0, "e"),
            // World total (rounded) → WLD
            row(6L, "WLD", "world", "CU", "mine", "2023", 22600000.0, null),
            row(6L, "WLD", "world", "CU", "mine", "2024", 23000000.0, "e"),
            // line 7 is blank; line 8 (W) is checked in withheldValuesHaveNoQuantityAndFlagW
            // footnote digits glued to "World total (rounded) 10"; metric tons * 1
            row(10L, "WLD", "world", "SB", "mine", "2023", 106000.0, null),
            row(10L, "WLD", "world", "SB", "mine", "2024", 100000.0, "e")),
        rows(
            facts,
            "_line",
            "country_iso3",
            "country_kind",
            "metal",
            "stage",
            "period",
            "quantity_t",
            "flags"),
        TOL);
    assertRows(
        List.<Object[]>of(row("usgs-mcs", "MCS2025", "metal_content")),
        rows(facts.select("source", "release", "basis").distinct()),
        TOL);

    assertRows(
        List.of(
            row(9L, "skipped", "outside scope: USGS commodity 'Cement', type 'Cement production'"),
            row(
                11L,
                "skipped",
                "no production or capacity figure in the record (empty or reserves only)")),
        rows(out.filter(col("_reason").isNotNull()), "_line", "_severity", "_reason"),
        TOL);

    // Every non-blank record (lines 2-6 and 8-11) yields at least one row; line 7 is blank.
    assertEquals(
        List.of(2L, 3L, 4L, 5L, 6L, 8L, 9L, 10L, 11L),
        out.select("_line").distinct().orderBy("_line").collectAsList().stream()
            .map(r -> r.getLong(0))
            .toList());
    assertEquals(
        1L,
        out.filter(col("_line").equalTo(9)).count(),
        "an out-of-scope record is one skipped row, not one per year");
  }

  @Test
  void withheldValuesHaveNoQuantityAndFlagW() throws IOException {
    Path f = write("withheld", "MCS2025_World_Data.csv", LINES);
    Dataset<Row> out = ingest(f).filter(col("_line").equalTo(8));
    List<Object[]> actual = new ArrayList<>();
    for (Row r :
        out.select("period", "country_iso3", "metal", "quantity_t", "flags", "_reason")
            .collectAsList()) {
      actual.add(
          row(r.get(0), r.get(1), r.get(2), r.get(3), sortedFlags(r.getString(4)), r.get(5)));
    }
    assertRows(
        List.of(
            // W = withheld: no quantity, not an error, flag W
            row("2023", "USA", "ZN", null, "W", null),
            // PROD_EST_ 2024: withheld and estimated → flags {W, e}
            row("2024", "USA", "ZN", null, "W,e", null)),
        actual,
        TOL);
  }

  @Test
  void unknownHeaderNamesTheFileAndTheKnownFormats() throws IOException {
    Path f = write("unknown", "mystery.csv", List.of("foo,bar,baz", "1,2,3"));
    Pipeline.Conformed c = read(f);
    assertEquals(1, c.rejected().size(), "rejected, not read");
    String m = c.rejected().get(0).reason();
    assertTrue(m.contains("mystery.csv"), m);
    assertTrue(m.contains(c.rejected().get(0).path()), m);
    // Every format a delimited text file can be (a workbook format is named for workbooks).
    for (SourceFormat known : Formats.all().list()) {
      if (!known.workbook()) {
        assertTrue(m.contains(known.name()), "message lists " + known.name() + ": " + m);
      }
    }
    assertTrue(m.contains("usgs-mcs-world"), m);
    assertTrue(m.contains("generic-production"), m);
    assertTrue(m.contains("bureau-monthly"), m);
  }
}
