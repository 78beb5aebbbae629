package org.metalslake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * No accident is irreversible: {@code sql} refuses what would change the lake unless {@code
 * --allow-writes}, and {@code restore} rolls a table back to an earlier version, logged in
 * ops.runs. Each test gets a lake of one small table with three versions: 0 three metals, 1 cobalt
 * appended, 2 everything replaced by one row.
 */
class SafetyCommandsTest extends SparkTest {
  private static final TableId METALS = new TableId(TableId.GOLD, "metals");
  private static final String DDL = "metal STRING, tonnes BIGINT";

  @TempDir Path dir;
  String root;
  Lake lake;

  static CliTest.Outcome cli(String... args) {
    return CliTest.cli(args);
  }

  @BeforeEach
  void threeVersions() {
    root = dir.resolve("lake").toString();
    lake = new Lake(spark(), root, false);
    TableDoc doc = TableDoc.of("test metals");
    lake.writes().overwrite(df(DDL, row("Cu", 10L), row("Ni", 20L), row("Zn", 30L)), METALS, doc);
    lake.writes().append(df(DDL, row("Co", 40L)), METALS, doc);
    lake.writes().overwrite(df(DDL, row("Cu", 11L)), METALS, doc);
  }

  private List<Object[]> metals() {
    return rows(lake.read(METALS), "metal", "tonnes");
  }

  private List<Object[]> metalsAsOf(long version) {
    return rows(lake.timeTravel().read(METALS, String.valueOf(version)), "metal", "tonnes");
  }

  private long version() {
    return lake.timeTravel().currentVersion(METALS);
  }

  private static List<String> csv(CliTest.Outcome o) {
    assertEquals(0, o.code(), o.err());
    return o.out().strip().lines().toList();
  }

  @Test
  void readOnlyStatementsRunWithTimeTravel() {
    assertEquals(
        List.of("metal,tonnes", "Cu,11"),
        csv(
            cli(
                "sql",
                "select metal, tonnes from gold.metals",
                "--format",
                "csv",
                "--lake",
                root)));
    assertEquals(
        List.of("metal,tonnes", "Co,40", "Cu,10", "Ni,20", "Zn,30"),
        csv(
            cli(
                "sql",
                "select metal, tonnes from gold.metals order by metal",
                "--as-of",
                "1",
                "--format",
                "csv",
                "--lake",
                root)));
    // A comment is not a statement: the query runs, the table stays.
    assertEquals(
        List.of("n", "1"),
        csv(
            cli(
                "sql",
                "select count(*) as n from gold.metals -- ; drop table gold.metals",
                "--format",
                "csv",
                "--lake",
                root)));
    assertEquals(
        List.of("n", "3"),
        csv(
            cli(
                "sql",
                "with m as (select * from gold.metals) select count(*) as n from m",
                "--as-of",
                "0",
                "--format",
                "csv",
                "--lake",
                root)));
    for (String readOnly :
        List.of(
            "describe history gold.metals",
            "describe gold.metals",
            "show tables",
            "explain select * from gold.metals where tonnes > 10")) {
      CliTest.Outcome o = cli("sql", readOnly, "--format", "csv", "--lake", root);
      assertEquals(0, o.code(), readOnly + ": " + o.err());
    }
    assertEquals(2, version());
  }

  @Test
  void statementsThatChangeTheLakeAreRefusedBeforeAnythingRuns() {
    String[][] refused = {
      {"delete from gold.metals where metal = 'Cu'", "DELETE changes the lake"},
      {"insert into gold.metals values ('Pb', 50)", "INSERT changes the lake"},
      {"insert overwrite gold.metals select 'Pb', 50", "INSERT OVERWRITE changes the lake"},
      {
        "with extra as (select 'Pb' as metal, 50L as tonnes) insert into gold.metals"
            + " select * from extra",
        "INSERT changes the lake"
      },
      {"from gold.metals insert into gold.metals select *", "INSERT changes the lake"},
      {"drop table gold.metals", "DROP TABLE changes the lake"},
      {"create table gold.more (metal string) using delta", "CREATE TABLE changes the lake"},
      {
        "create table gold.more as select * from gold.metals",
        "CREATE TABLE AS SELECT changes the lake"
      },
      {
        "create or replace table gold.metals as select 'Pb' as metal",
        "REPLACE TABLE AS SELECT changes the lake"
      },
      {
        "merge into gold.metals t using (select 'Cu' as metal, 1L as tonnes) s"
            + " on t.metal = s.metal when matched then delete",
        "MERGE changes the lake"
      },
      {"update gold.metals set tonnes = 0", "UPDATE changes the lake"},
      {"alter table gold.metals add columns (grade string)", "ALTER TABLE changes the lake"},
      {
        "alter table gold.metals set tblproperties ('a' = 'b')",
        "ALTER TABLE SET TBLPROPERTIES changes the lake"
      },
      {"truncate table gold.metals", "TRUNCATE TABLE changes the lake"},
      {"restore table gold.metals to version as of 0", "RESTORE changes the lake"},
      {"vacuum gold.metals retain 0 hours", "VACUUM changes the lake"},
      {"optimize gold.metals", "OPTIMIZE changes the lake"},
      {"create view gold.v as select * from gold.metals", "CREATE VIEW changes the lake"},
      {"explain delete from gold.metals", "EXPLAIN DELETE"},
      {"begin delete from gold.metals; end", "a SQL script (BEGIN … END) changes the lake"},
      {"set spark.sql.ansi.enabled = false", "SET is not read-only"},
      {"use gold", "USE is not read-only"},
    };
    for (String[] r : refused) {
      CliTest.Outcome o = cli("sql", r[0], "--lake", root);
      assertEquals(2, o.code(), r[0] + ": " + o.err());
      String expected =
          r[1].startsWith("EXPLAIN ")
              ? "metals-lake sql: refused: EXPLAIN DELETE explains a statement that changes the"
                  + " lake; add --allow-writes to explain it (it does not run it)"
              : "metals-lake sql: refused: " + r[1] + "; add --allow-writes to run it";
      assertEquals(expected, o.err().strip(), r[0]);
      assertEquals("", o.out(), r[0]);
    }
    // Two statements are not one: a syntax error, one line, and nothing runs.
    CliTest.Outcome two = cli("sql", "select 1; drop table gold.metals", "--lake", root);
    assertEquals(2, two.code(), two.err());
    assertEquals(1, two.err().strip().lines().count(), two.err());
    assertTrue(two.err().startsWith("metals-lake sql: [PARSE_SYNTAX_ERROR]"), two.err());

    assertEquals(2, version());
    assertRows(List.<Object[]>of(row("Cu", 11L)), metals(), 0);
  }

  @Test
  void allowWritesRunsTheStatement() {
    CliTest.Outcome o =
        cli("sql", "delete from gold.metals where metal = 'Cu'", "--allow-writes", "--lake", root);
    assertEquals(0, o.code(), o.err());
    assertEquals(3, version());
    assertRows(List.<Object[]>of(), metals(), 0);
  }

  @Test
  void restoreRollsTheTableBackAndLogsTheRun() {
    CliTest.Outcome o = cli("restore", "gold.metals", "--to", "1", "--lake", root);
    assertEquals(0, o.code(), o.err());
    List<String> lines = o.out().strip().lines().toList();
    assertEquals(1, lines.size(), o.out());
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "gold.metals restored from version 2 to version 1: 4 rows, now"
                    + " version 3 (run "),
        lines.get(0));

    List<Object[]> version1 =
        List.of(row("Co", 40L), row("Cu", 10L), row("Ni", 20L), row("Zn", 30L));
    assertRows(version1, metals(), 0);
    assertRows(version1, metalsAsOf(1), 0);
    assertEquals(3, version());
    // The rolled-back version stays in the history.
    assertRows(List.<Object[]>of(row("Cu", 11L)), metalsAsOf(2), 0);

    List<Row> runs = lake.read(Tables.RUNS).collectAsList();
    assertEquals(1, runs.size());
    Row run = runs.get(0);
    assertEquals("restore", run.getAs("job"));
    assertEquals("succeeded", run.getAs("status"));
    assertEquals("gold.metals restored from version 2 to version 1", run.getAs("message"));
    assertEquals("restore gold.metals --to 1", run.getAs("args"));
    assertFalse(
        run.<java.sql.Timestamp>getAs("ended_at")
            .before(run.<java.sql.Timestamp>getAs("started_at")));
    Row table = run.<Row>getList(run.fieldIndex("tables")).get(0);
    assertEquals("gold.metals", table.getAs("table"));
    assertEquals(1L, (long) table.<Long>getAs("rows_in"));
    assertEquals(4L, (long) table.<Long>getAs("rows_out"));

    // A timestamp names the last version committed by then: version 0's own time gives it back.
    String v0 =
        io.delta.tables.DeltaTable.forPath(spark(), lake.location(METALS))
            .history()
            .where("version = 0")
            .selectExpr("cast(timestamp as string)")
            .first()
            .getString(0);
    CliTest.Outcome byTime = cli("restore", "gold.metals", "--to", v0, "--lake", root);
    assertEquals(0, byTime.code(), byTime.err());
    assertTrue(
        byTime.out().startsWith("gold.metals restored from version 3 to version 0: 3 rows"),
        byTime.out());
    assertRows(List.of(row("Cu", 10L), row("Ni", 20L), row("Zn", 30L)), metals(), 0);
    assertEquals(2, lake.read(Tables.RUNS).count());
  }

  /**
   * A restore while another writer keeps appending to the table: each restore either commits whole
   * (the version it made holds exactly the rows of the version restored) or is refused with exit 75
   * and one line, logged as a conflict; the writer's rows are never lost to a half-done restore.
   * Restores are tried until one is refused (the writer commits every few hundred ms, a restore
   * reads the whole table, so the first or second one is).
   */
  @Test
  void aRestoreRacingAWriterCommitsWholeOrExits75() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger appended =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              TableDoc doc = TableDoc.of("test metals");
              while (!stop.get()) {
                int k = appended.get() + 1;
                lake.writes().append(df(DDL, row("W" + k, (long) k)), METALS, doc);
                appended.set(k);
              }
            },
            "writer");
    List<Throwable> writerFailed = new java.util.concurrent.CopyOnWriteArrayList<>();
    writer.setUncaughtExceptionHandler((t, e) -> writerFailed.add(e));
    writer.start();
    int refused = 0;
    int restored = 0;
    List<Object[]> version0 = List.of(row("Cu", 10L), row("Ni", 20L), row("Zn", 30L));
    try {
      for (int attempt = 0; attempt < 8 && refused == 0; attempt++) {
        while (appended.get() < 2 * (attempt + 1) && writerFailed.isEmpty()) {
          Thread.sleep(50);
        }
        CliTest.Outcome o = cli("restore", "gold.metals", "--to", "0", "--lake", root);
        if (o.code() == Main.EXIT_RETRY) {
          refused++;
          assertEquals(1, o.err().strip().lines().count(), o.err());
          assertTrue(
              o.err().startsWith("metals-lake: another run changed the lake at the same time"),
              o.err());
        } else {
          assertEquals(0, o.code(), o.err());
          restored++;
          java.util.regex.Matcher now =
              java.util.regex.Pattern.compile("now version (\\d+)").matcher(o.out());
          assertTrue(now.find(), o.out());
          assertRows(version0, metalsAsOf(Long.parseLong(now.group(1))), 0);
        }
      }
    } finally {
      stop.set(true);
      writer.join(60_000);
    }
    System.out.printf(
        java.util.Locale.ROOT,
        "restores racing a writer: %d refused (exit 75), %d committed; %d writer commits%n",
        refused,
        restored,
        appended.get());
    assertTrue(writerFailed.isEmpty(), "the writer failed: " + writerFailed);
    assertTrue(refused > 0, "no restore was refused in " + restored + " attempts");
    // Each attempt is in ops.runs: the refused ones as conflicts.
    List<Row> runs = lake.read(Tables.RUNS).where("job = 'restore'").collectAsList();
    assertEquals(refused + restored, runs.size());
    assertEquals(refused, runs.stream().filter(r -> "conflict".equals(r.getAs("status"))).count());
    assertEquals(
        restored, runs.stream().filter(r -> "succeeded".equals(r.getAs("status"))).count());
    // The last writer row is in the table: a refused restore took nothing away.
    long last = appended.get();
    assertTrue(
        metals().stream().anyMatch(r -> r[0].equals("W" + last)),
        "W" + last + " is in the table after the race");
  }

  @Test
  void restoreOfAnUnknownTableOrVersionIsAUsageError() {
    String[][] bad = {
      {"gold.nothing_here", "1", "no table gold.nothing_here under "},
      {"gold.metals", "9", "gold.metals has versions 0 to 2, no version 9; `metals-lake history"},
      {"gold.metals", "yesterday", "--to must be a table version (3) or a timestamp"},
      {
        "gold.metals", "2000-01-01", "gold.metals has versions 0 to 2, none at or before 2000-01-01"
      },
      {"metals", "1", "table names are layer.table"},
    };
    for (String[] b : bad) {
      CliTest.Outcome o = cli("restore", b[0], "--to", b[1], "--lake", root);
      assertEquals(2, o.code(), String.join(" ", b) + ": " + o.err());
      assertEquals(1, o.err().strip().lines().count(), o.err());
      assertTrue(o.err().startsWith("metals-lake: " + b[2]), o.err());
    }
    assertEquals(2, version());
    assertFalse(lake.exists(Tables.RUNS));
  }
}
