package org.metalslake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.testing.SparkTest;

/**
 * What other teams get from the lake: the change data feed of gold, exports (spreadsheet-safe CSV,
 * Parquet, past versions), time travel in {@code sql}, and {@code maintain} with its retention
 * guard. One small lake: a first run, then a revision of one figure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsumersTest extends SparkTest {
  @TempDir static Path dir;
  static String lake;

  static CliTest.Outcome cli(String... args) {
    return CliTest.cli(args);
  }

  @BeforeAll
  static void twoRuns() throws IOException {
    Path landing = dir.resolve("landing/production");
    Files.createDirectories(landing);
    // A source name a spreadsheet would run as a formula.
    Files.writeString(
        landing.resolve("first.csv"),
        "period,country,region,metal,stage,quantity,unit,basis,source,flag\n"
            + "2023,Chile,,copper,mine,5000,kt,,=HYPERLINK(\"x\"),\n"
            + "2024,Chile,,copper,mine,5500,kt,,=HYPERLINK(\"x\"),\n"
            + "2023,Peru,,copper,mine,2600,kt,,=HYPERLINK(\"x\"),\n"
            + "2024,Peru,,copper,mine,2700,kt,,=HYPERLINK(\"x\"),\n");
    lake = dir.resolve("lake").toString();
    String land = dir.resolve("landing").toString();
    assertEquals(0, cli("run", "--lake", lake, "--landing", land).code());
    // A later release revises Chile 2024: 5500 → 5610 kt. Only its rows change in gold.
    Files.writeString(
        landing.resolve("revision.csv"),
        "period,country,region,metal,stage,quantity,unit,basis,source,flag\n"
            + "2024,Chile,,copper,mine,5610,kt,,=HYPERLINK(\"x\"),r\n");
    assertEquals(0, cli("run", "--lake", lake, "--landing", land).code());
  }

  static List<String> csv(CliTest.Outcome o) {
    assertEquals(0, o.code(), o.err());
    return o.out().strip().lines().toList();
  }

  @Test
  @Order(1)
  void goldHasTheChangeDataFeedAndARevisionChangesOnlyItsRows() {
    List<String> props =
        csv(
            cli(
                "sql",
                "show tblproperties gold.production_growth ('delta.enableChangeDataFeed')",
                "--format",
                "csv",
                "--lake",
                lake));
    assertTrue(props.get(1).endsWith("true"), props.toString());
    // Version 0 created the table with its 4 annual rows (one commit: no empty create first);
    // version 1 is the revision run, which changed Chile 2024
    // (value 5500 → 5610 kt, yoy 10 % → 12.2 %): one pre-image and one post-image, nothing else.
    List<String> changes =
        csv(
            cli(
                "sql",
                "select country_iso3, period, _change_type, value_t from"
                    + " table_changes('gold.production_growth', 1) order by _change_type",
                "--format",
                "csv",
                "--lake",
                lake));
    assertEquals(
        List.of(
            "country_iso3,period,_change_type,value_t",
            "CHL,2024,update_postimage,5610000.0",
            "CHL,2024,update_preimage,5500000.0"),
        changes);
  }

  @Test
  @Order(2)
  void sqlAndExportTravelInTime() throws IOException {
    String q =
        "select value_t from gold.production_growth where country_iso3 = 'CHL' and period ="
            + " '2024'";
    assertEquals("5610000.0", csv(cli("sql", q, "--format", "csv", "--lake", lake)).get(1));
    assertEquals(
        "5500000.0", csv(cli("sql", q, "--as-of", "0", "--format", "csv", "--lake", lake)).get(1));
    CliTest.Outcome bad = cli("sql", q, "--as-of", "yesterday", "--lake", lake);
    assertEquals(2, bad.code(), bad.err());

    Path old = dir.resolve("old.csv");
    CliTest.Outcome e =
        cli(
            "export",
            "gold.production_growth",
            "--to",
            old.toString(),
            "--as-of",
            "0",
            "--lake",
            lake);
    assertEquals(0, e.code(), e.err());
    String text = Files.readString(old, StandardCharsets.UTF_8);
    assertTrue(text.contains("5500000.0"), text);
    assertFalse(text.contains("5610000.0"), text);
  }

  @Test
  @Order(3)
  void csvExportIsSpreadsheetSafeAndParquetRoundTrips() throws IOException {
    Path out = dir.resolve("growth.csv");
    assertEquals(
        0, cli("export", "gold.production_growth", "--to", out.toString(), "--lake", lake).code());
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(5, lines.size(), "header and four rows: " + lines);
    // The source text would run as a formula: it is written with a leading quote.
    assertTrue(lines.get(1).contains("\"'=HYPERLINK(\"\"x\"\")\""), lines.get(1));
    assertFalse(String.join("\n", lines).contains(",=HYPERLINK"), lines.toString());
    // Numbers stay numbers: the Chile 2024 value and its -12.2 %-style signs untouched.
    assertTrue(String.join("\n", lines).contains("5610000.0"));
    // An existing target is refused without --force.
    CliTest.Outcome again =
        cli("export", "gold.production_growth", "--to", out.toString(), "--lake", lake);
    assertEquals(1, again.code());
    assertTrue(again.err().contains("exists"), again.err());

    Path pq = dir.resolve("growth.parquet");
    assertEquals(
        0,
        cli(
                "export",
                "gold.production_growth",
                "--to",
                pq.toString(),
                "--format",
                "parquet",
                "--lake",
                lake)
            .code());
    List<Row> back =
        spark()
            .read()
            .parquet(pq.toString())
            .filter("country_iso3 = 'CHL' and period = '2024'")
            .collectAsList();
    assertEquals(1, back.size());
    assertEquals(5_610_000.0, back.get(0).<Double>getAs("value_t"), 1e-9);
    // Parquet keeps the text as it is: no spreadsheet is involved.
    assertEquals("=HYPERLINK(\"x\")", back.get(0).getAs("source"));
  }

  @Test
  @Order(4)
  void maintainRefusesShortRetentionUnlessForced() {
    CliTest.Outcome refused = cli("maintain", "--retain-hours", "1", "--lake", lake);
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("168"), refused.err());

    CliTest.Outcome unknown = cli("maintain", "gold.nothing_here", "--lake", lake);
    assertEquals(2, unknown.code(), unknown.err());

    // One layer at a time (every table when none is named: the same loop).
    List<String> ok = csv(cli("maintain", "gold", "--format", "csv", "--lake", lake));
    assertTrue(ok.stream().anyMatch(l -> l.startsWith("gold.production_growth,")), ok.toString());
    assertTrue(ok.stream().skip(1).allMatch(l -> l.startsWith("gold.")), ok.toString());
    // Nothing is older than a week: nothing vacuumed, time travel still works.
    assertEquals(
        "5500000.0",
        csv(cli(
                "sql",
                "select value_t from gold.production_growth where country_iso3 = 'CHL'"
                    + " and period = '2024'",
                "--as-of",
                "0",
                "--format",
                "csv",
                "--lake",
                lake))
            .get(1));

    // Forced to zero hours: the files of replaced versions go, and with them time travel.
    List<String> forced =
        csv(
            cli(
                "maintain",
                "gold.production_growth",
                "--retain-hours",
                "0",
                "--force",
                "--format",
                "csv",
                "--lake",
                lake));
    assertEquals(2, forced.size(), forced.toString());
    String growth =
        forced.stream().filter(l -> l.startsWith("gold.production_growth,")).findFirst().get();
    assertTrue(Long.parseLong(growth.split(",")[3]) > 0, growth);
    // Reads the rows themselves (a count(*) may be answered from the log's statistics alone).
    CliTest.Outcome gone =
        cli(
            "sql",
            "select country_iso3, value_t from gold.production_growth",
            "--as-of",
            "0",
            "--lake",
            lake);
    assertEquals(1, gone.code(), gone.out());
  }
}
