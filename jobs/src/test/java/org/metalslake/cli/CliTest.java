package org.metalslake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.testing.SparkTest;

/** The command line: usage errors are one line and exit 2; commands work on a real lake. */
class CliTest extends SparkTest {
  @TempDir Path dir;

  record Outcome(int code, String out, String err) {}

  static synchronized Outcome cli(String... args) {
    spark(); // the shared test session is the one the commands get
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Outcome(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void usageErrorsAreOneLineAndExitTwo() {
    for (String[] args :
        new String[][] {
          {"frobnicate"}, {"sql"}, {"ingest", "metals", "x.csv"}, {"run", "--no-such-flag"}, {}
        }) {
      Outcome o = cli(args);
      assertEquals(2, o.code(), String.join(" ", args) + ": " + o.err());
      assertEquals(1, o.err().strip().lines().count(), o.err());
      assertTrue(o.err().startsWith("metals-lake: "), o.err());
    }
  }

  @Test
  void runThenQueryTablesByNameAndSeeHistory() throws IOException {
    Path landing = dir.resolve("landing/production");
    Files.createDirectories(landing);
    Files.writeString(
        landing.resolve("p.csv"),
        "period,country,region,metal,stage,quantity,unit,basis,source,flag\n"
            + "2023,Chile,,copper,mine,5000,kt,,survey,\n"
            + "2024,Chile,,copper,mine,5500,kt,,survey,\n");
    String lake = dir.resolve("lake").toString();
    String land = dir.resolve("landing").toString();
    assertEquals(0, cli("run", "--lake", lake, "--landing", land).code());

    Outcome sql =
        cli(
            "sql",
            "select period, value_t, yoy_pct from gold.production_growth where period = '2024'",
            "--format",
            "csv",
            "--lake",
            lake);
    assertEquals(0, sql.code(), sql.err());
    String[] lines = sql.out().strip().split("\n");
    assertEquals("period,value_t,yoy_pct", lines[0]);
    String[] cells = lines[1].split(",");
    assertEquals("2024", cells[0]);
    assertEquals(5_500_000, Double.parseDouble(cells[1]), 1e-6);
    // 5500 / 5000 − 1 = 10 %
    assertEquals(10.0, Double.parseDouble(cells[2]), 1e-9);

    Outcome json =
        cli(
            "sql",
            "select count(*) as n from silver.production",
            "--format",
            "json",
            "--lake",
            lake);
    assertEquals("{\"n\":2}", json.out().strip());

    Outcome tables = cli("tables", "--lake", lake);
    assertEquals(0, tables.code());
    assertTrue(tables.out().contains("gold.production_growth"), tables.out());
    assertTrue(tables.out().contains("ops.quarantine"), tables.out());

    Outcome history = cli("history", "silver.production", "--lake", lake, "--format", "csv");
    assertEquals(0, history.code(), history.err());
    // A table's first commit creates it with its rows; later runs write or merge into it.
    assertTrue(
        history.out().contains("CREATE TABLE AS SELECT")
            || history.out().contains("WRITE")
            || history.out().contains("MERGE"),
        history.out());

    Outcome missing = cli("history", "gold.nothing_here", "--lake", lake);
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("no table gold.nothing_here"), missing.err());
  }

  @Test
  void changeBetweenTwoDates() throws IOException {
    Path landing = dir.resolve("landing-prices/prices");
    Files.createDirectories(landing);
    // Refined cobalt in China: 160 000 yuan/t on 2025-02-21, 240 000 on Monday 2025-04-21;
    // nothing on the weekend before.
    Files.writeString(
        landing.resolve("cobalt.csv"),
        "date,metal,market,price,currency,unit\n"
            + "2025-02-21,cobalt,China spot,160000,CNY,t\n"
            + "2025-03-21,cobalt,China spot,200000,CNY,t\n"
            + "2025-04-18,cobalt,China spot,230000,CNY,t\n"
            + "2025-04-21,cobalt,China spot,240000,CNY,t\n");
    String lake = dir.resolve("lake-prices").toString();
    String land = dir.resolve("landing-prices").toString();
    assertEquals(0, cli("run", "--lake", lake, "--landing", land).code());

    Outcome o =
        cli(
            "change",
            "--from",
            "2025-02-21",
            "--to",
            "2025-04-21",
            "--metal",
            "Co",
            "--format",
            "csv",
            "--lake",
            lake);
    assertEquals(0, o.code(), o.err());
    List<String> lines = o.out().strip().lines().toList();
    List<String> header = List.of(lines.get(0).split(","));
    String[] cells = lines.get(1).split(",");
    // (240 000 / 160 000 - 1) * 100 = +50 %
    assertEquals(50.0, Double.parseDouble(cells[header.indexOf("change_pct")]), 1e-9);
    assertEquals(80_000, Double.parseDouble(cells[header.indexOf("change")]), 1e-9);
    // Sunday 2025-04-20 takes Friday's 230 000: (230 000 / 160 000 - 1) * 100 = 43.75 %
    Outcome sunday =
        cli(
            "change",
            "--from",
            "2025-02-21",
            "--to",
            "2025-04-20",
            "--format",
            "csv",
            "--lake",
            lake);
    String[] c2 = sunday.out().strip().lines().toList().get(1).split(",");
    assertEquals("2025-04-18", c2[header.indexOf("to_date")]);
    assertEquals(43.75, Double.parseDouble(c2[header.indexOf("change_pct")]), 1e-9);

    for (String[] bad :
        new String[][] {
          {"change", "--from", "2025-02-30", "--to", "2025-04-21", "--lake", lake},
          {"change", "--from", "2025-04-21", "--to", "2025-02-21", "--lake", lake},
          {
            "change",
            "--from",
            "2025-02-21",
            "--to",
            "2025-04-21",
            "--metal",
            "unobtainium",
            "--lake",
            lake
          }
        }) {
      Outcome u = cli(bad);
      assertEquals(2, u.code(), String.join(" ", bad) + ": " + u.err());
      assertTrue(u.err().startsWith("metals-lake: "), u.err());
    }
  }

  @Test
  void anUnrecognisedFileIsRejectedWithItsNameAndItsOwnExitCode() throws IOException {
    Path f = dir.resolve("weird.csv");
    Files.writeString(f, "a,b,c\n1,2,3\n");
    Outcome o = cli("ingest", "production", f.toString(), "--lake", dir.resolve("lake").toString());
    assertEquals(Main.EXIT_REJECTED, o.code(), o.err());
    assertTrue(o.err().contains("weird.csv") && o.err().contains("known formats"), o.err());
  }

  @Test
  void aStorageFailureAnywhereInTheCauseChainIsNamedWithItsShortCause() {
    // As S3A reports a refused connection inside a Spark task, wrapped by Spark and the pipeline.
    Exception s3a =
        new java.net.ConnectException(
            "getFileStatus on s3a://b/lake/silver/prices/part-0.parquet:"
                + " software.amazon.awssdk.core.exception.SdkClientException: Unable to execute"
                + " HTTP request: Connect to 127.0.0.1:1 [/127.0.0.1] failed: Connection refused:"
                + "    software.amazon.awssdk.core.exception.SdkClientException: Unable to execute"
                + " HTTP request: Connect to 127.0.0.1:1 [/127.0.0.1] failed: Connection refused");
    RuntimeException spark =
        new RuntimeException(
            "Job aborted due to stage failure: Task 0 failed\n\tat org.apache.spark.X", s3a);
    RuntimeException wrapped = new org.metalslake.pipeline.PipelineException("x", spark);
    assertSame(s3a, Main.storageFailure(wrapped));
    assertEquals(
        "getFileStatus on s3a://b/lake/silver/prices/part-0.parquet: Unable to execute HTTP"
            + " request: Connect to 127.0.0.1:1 [/127.0.0.1] failed: Connection refused",
        Main.storageCause(s3a, wrapped));
    // S3A names an object by its key alone: the location comes from Spark's message around it.
    Exception put =
        new java.net.ConnectException("Writing Object on lake/silver/prices/part-0.parquet: x");
    RuntimeException task =
        new RuntimeException(
            "Job aborted: Task failed while writing rows to s3a://b/lake/silver/prices.", put);
    assertEquals(
        "Writing Object on lake/silver/prices/part-0.parquet: x (s3a://b/lake/silver/prices)",
        Main.storageCause(put, new org.metalslake.pipeline.PipelineException("y", task)));
    java.io.UncheckedIOException unchecked =
        new java.io.UncheckedIOException("reading s3a://b/x", new java.io.IOException("refused"));
    assertSame(unchecked, Main.storageFailure(new RuntimeException(unchecked)));
    // The AWS SDK's own failure, when nothing wrapped it in an IOException.
    RuntimeException sdk =
        software.amazon.awssdk.core.exception.SdkClientException.create(
            "Unable to execute HTTP request");
    assertSame(sdk, Main.storageFailure(new RuntimeException("x", sdk)));
    assertNull(Main.storageFailure(new IllegalStateException("a bug", new RuntimeException())));
  }
}
