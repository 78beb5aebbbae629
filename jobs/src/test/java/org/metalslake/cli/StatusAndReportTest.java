package org.metalslake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.ops.RunLog;
import org.metalslake.storage.Lake;
import org.metalslake.testing.SparkTest;

/**
 * A scheduler can tell what happened without the exit code: {@code run --report FILE} writes the
 * run as JSON (also when it fails), and {@code status --run ID | --last} answers from ops.runs with
 * the run's own exit code. And one can look before leaping: {@code run --dry-run}, {@code validate}
 * and {@code config} write nothing. One lake, one landing of two files written here: four valid
 * production records and one of an unknown country (5 records, 4 to silver, 1 quarantined), and an
 * empty file (rejected: the run is partial, exit 65).
 */
class StatusAndReportTest extends SparkTest {
  static final String RUN_ID = "scheduled__2026-12-07T06:15:00+00:00";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static String lake;
  static Path landing;
  static CliTest.Outcome first;
  static JsonNode report;

  @BeforeAll
  static void aPartialRun() throws IOException {
    landing = dir.resolve("landing");
    Files.createDirectories(landing);
    Files.writeString(
        landing.resolve("production.csv"),
        String.join(
            "\n",
            "period,country,region,metal,stage,quantity,unit,basis,source,flag",
            "2023-01,Chile,,copper,mine,400,kt,metal_content,test,",
            "2023-02,Chile,,copper,mine,410,kt,metal_content,test,",
            "2023-01,Peru,,copper,mine,220,kt,metal_content,test,",
            "2023-02,Peru,,copper,mine,230,kt,metal_content,test,",
            "2023-01,Atlantis,,copper,mine,1,kt,metal_content,test,",
            ""),
        StandardCharsets.UTF_8);
    Files.write(landing.resolve("empty.csv"), new byte[0]);
    lake = dir.resolve("lake").toString();
    Path file = dir.resolve("reports/first.json");
    first =
        CliTest.cli(
            "run",
            "--landing",
            landing.toString(),
            "--lake",
            lake,
            "--run-id",
            RUN_ID,
            "--report",
            file.toString());
    report = JSON.readTree(file.toFile());
  }

  @Test
  void theReportSaysWhatTheRunDid() {
    assertEquals(65, first.code(), first.err());
    assertEquals(RUN_ID, report.get("run_id").asText());
    assertEquals("run", report.get("job").asText());
    assertEquals("partial", report.get("status").asText());
    assertEquals(65, report.get("exit_code").asInt());
    JsonNode totals = report.get("totals");
    assertEquals(1, totals.get("files").asLong(), report.toString());
    assertEquals(5, totals.get("records").asLong());
    assertEquals(4, totals.get("to_silver").asLong());
    assertEquals(1, totals.get("quarantined").asLong());
    assertEquals(1, totals.get("rejected_files").asLong());
    assertEquals(1, report.get("rejected").size());
    assertTrue(report.get("rejected").get(0).get("path").asText().endsWith("empty.csv"));
    assertTrue(
        report.get("rejected").get(0).get("reason").asText().startsWith("empty file"),
        report.toString());
    JsonNode file = report.get("files").get(0);
    assertTrue(file.get("file").asText().endsWith("production.csv"));
    assertEquals(4, file.get("facts").asLong());
    boolean silver = false;
    for (JsonNode t : report.get("tables")) {
      if (t.get("table").asText().equals("silver.production")) {
        silver = true;
        assertEquals(4, t.get("rows_out").asLong(), t.toString());
      }
    }
    assertTrue(silver, "silver.production in the report's tables: " + report.get("tables"));
    assertTrue(report.get("seconds").asDouble() > 0);
  }

  @Test
  void statusAnswersWithTheRunsExitCode() {
    CliTest.Outcome byId = CliTest.cli("status", "--run", RUN_ID, "--lake", lake);
    assertEquals(65, byId.code(), byId.err());
    assertTrue(byId.out().startsWith("run " + RUN_ID + " (run) partial, ended "), byId.out());
    assertTrue(
        byId.out().contains("1 files, 5 records (4 to silver, 1 quarantined), 1 rejected files"),
        byId.out());
    assertTrue(byId.out().strip().endsWith("exit 65"), byId.out());

    CliTest.Outcome last = CliTest.cli("status", "--last", "--lake", lake, "--format", "json");
    assertEquals(65, last.code(), last.err());
    assertTrue(last.out().contains("\"run_id\":\"" + RUN_ID + "\""), last.out());
    assertTrue(last.out().contains("\"status\":\"partial\""), last.out());

    CliTest.Outcome unknown = CliTest.cli("status", "--run", "never-ran", "--lake", lake);
    assertEquals(1, unknown.code());
    assertTrue(unknown.err().contains("no run 'never-ran' in ops.runs of"), unknown.err());
    assertTrue(unknown.err().contains("killed before it ended"), unknown.err());

    CliTest.Outcome nowhere =
        CliTest.cli("status", "--last", "--lake", dir.resolve("no-lake").toString());
    assertEquals(1, nowhere.code());
    assertTrue(nowhere.err().contains("it has no ops.runs"), nowhere.err());

    CliTest.Outcome both = CliTest.cli("status", "--last", "--run", RUN_ID, "--lake", lake);
    assertEquals(2, both.code(), both.err());
  }

  @Test
  void aConflictIs75AndAFailureIs1() {
    Lake l = new Lake(spark(), Settings.load(null, java.util.Map.of(Settings.LAKE_ROOT, lake)));
    Timestamp t = new Timestamp(System.currentTimeMillis());
    // Logged as another job, so that `status --last` (run and ingest) still answers for the run.
    new RunLog.Run(l, "raced", "test", "test", t)
        .end("conflict", "another run changed the lake", List.of(), List.of(), List.of());
    new RunLog.Run(l, "broke", "test", "test", t)
        .end("failed", "storage error", List.of(), List.of(), List.of());
    assertEquals(75, CliTest.cli("status", "--run", "raced", "--lake", lake).code());
    assertEquals(1, CliTest.cli("status", "--run", "broke", "--lake", lake).code());
  }

  @Test
  void aFailedRunStillWritesItsReportAndABadRunIdIsAUsageError() throws IOException {
    Path other = dir.resolve("other-lake");
    Path file = dir.resolve("reports/failed.json");
    CliTest.Outcome failed =
        CliTest.cli(
            "run",
            "--landing",
            landing.toString(),
            "--lake",
            other.toString(),
            "--set",
            "ingest.max-quarantine-share=0.1",
            "--report",
            file.toString());
    // 1 of 5 records bad: 20 %, above the 10 % allowed.
    assertEquals(1, failed.code(), failed.err());
    JsonNode r = JSON.readTree(file.toFile());
    assertEquals("failed", r.get("status").asText());
    assertEquals(1, r.get("exit_code").asInt());
    assertTrue(r.get("message").asText().contains("ingest.max-quarantine-share"), r.toString());
    CliTest.Outcome status = CliTest.cli("status", "--last", "--lake", other.toString());
    assertEquals(1, status.code(), status.err());
    assertTrue(status.out().contains(" failed, ended "), status.out());

    CliTest.Outcome bad =
        CliTest.cli("run", "--landing", landing.toString(), "--lake", lake, "--run-id", "a b");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("--run-id 'a b'"), bad.err());
  }

  @Test
  void aDryRunListsTheFilesAndWritesNothing() throws IOException {
    Path fresh = dir.resolve("dry-lake");
    CliTest.Outcome before =
        CliTest.cli(
            "run", "--dry-run", "--landing", landing.toString(), "--lake", fresh.toString());
    assertEquals(65, before.code(), before.err());
    assertTrue(
        before
            .out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("new")
                        && l.contains("generic-production")
                        && l.endsWith("production.csv")),
        before.out());
    assertTrue(
        before
            .out()
            .lines()
            .anyMatch(l -> l.startsWith("rejected") && l.contains("empty.csv: empty file")),
        before.out());
    assertTrue(
        before
            .out()
            .contains("2 files: 1 new (1 generic-production), 0 already ingested, 1 rejected"),
        before.out());
    assertTrue(!Files.exists(fresh) || isEmptyTree(fresh), "the dry run wrote into " + fresh);

    // On the lake of the partial run: the production file is already ingested; nothing changes.
    long runs = spark().read().format("delta").load(lake + "/ops/runs").count();
    long version = versionOf(lake + "/silver/production");
    CliTest.Outcome after =
        CliTest.cli("run", "--dry-run", "--landing", landing.toString(), "--lake", lake);
    assertEquals(65, after.code(), after.err());
    assertTrue(
        after
            .out()
            .lines()
            .anyMatch(
                l -> l.startsWith("skipped") && l.endsWith("production.csv (already ingested)")),
        after.out());
    assertTrue(after.out().contains("0 new, 1 already ingested, 1 rejected"), after.out());
    assertEquals(runs, spark().read().format("delta").load(lake + "/ops/runs").count());
    assertEquals(version, versionOf(lake + "/silver/production"));
  }

  @Test
  void validateConformsFilesAndWritesNothing() throws IOException {
    Path fresh = dir.resolve("validate-lake");
    CliTest.Outcome v =
        CliTest.cli(
            "validate",
            landing.resolve("production.csv").toString(),
            landing.resolve("empty.csv").toString(),
            "--lake",
            fresh.toString());
    assertEquals(65, v.code(), v.err());
    assertTrue(
        v.out().contains("production.csv (generic-production): 5 records, 4 facts, 1 quarantined"),
        v.out());
    assertTrue(
        v.out().lines().anyMatch(l -> l.matches("\\s+1\\s+error\\s+unknown country 'Atlantis'")),
        v.out());
    assertTrue(v.out().contains("empty.csv: rejected: empty file"), v.out());
    assertTrue(
        v.out().contains("2 files read, 1 would be rejected; nothing written")
            || v.out().contains("1 files read, 1 would be rejected; nothing written"),
        v.out());
    assertTrue(!Files.exists(fresh) || isEmptyTree(fresh), "validate wrote into " + fresh);
  }

  @Test
  void configShowsEachValuesOriginAndNamesUnknownKeys() {
    CliTest.Outcome c =
        CliTest.cli(
            "config",
            "--lake",
            "/somewhere/lake",
            "--set",
            "ingest.max-quarantine-shar=0.1",
            "--set",
            "ingest.max-quantity-t-by-metal.lithium=1e8");
    assertEquals(2, c.code(), c.err());
    List<String> lines = c.out().lines().toList();
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("lake\\.root = \"/somewhere/lake\"\\s+# --set")),
        c.out());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "ingest\\.max-quarantine-share = 0\\.5\\s+# default \\(reference\\.conf: \\d+\\)")),
        c.out());
    assertTrue(lines.contains("# unknown key, ignored: ingest.max-quarantine-shar"), c.out());
    assertTrue(
        lines.stream().noneMatch(l -> l.contains("unknown key") && l.contains("lithium")),
        "a metal's ceiling is the user's own key: " + c.out());
    assertTrue(
        lines.stream().noneMatch(l -> l.startsWith("java.")), "no JVM properties: " + c.out());
    Settings s =
        Settings.load(null, java.util.Map.of("ingest.max-quarantine-shar", "0.1", "lake.rot", "x"));
    assertEquals(List.of("ingest.max-quarantine-shar", "lake.rot"), s.unknownKeys());
    assertEquals(0, CliTest.cli("config").code());
  }

  private static boolean isEmptyTree(Path p) throws IOException {
    try (var files = Files.walk(p)) {
      return files.noneMatch(Files::isRegularFile);
    }
  }

  private static long versionOf(String table) {
    return io.delta.tables.DeltaTable.forPath(spark(), table)
        .history(1)
        .select("version")
        .first()
        .getLong(0);
  }
}
