package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.cli.Main;
import org.metalslake.storage.Lake;
import org.metalslake.storage.LakeDiff;
import org.metalslake.storage.TableId;
import org.metalslake.testing.CliProcess;
import org.metalslake.testing.SparkTest;

/**
 * SPEC §8 "Atomic" and "Concurrency" on the real command line: {@code run} in a JVM of its own,
 * killed with SIGKILL at random moments of a run and then run again, or started twice at once on
 * one lake; every table must then hold what one clean run writes. One clean run (a child JVM too)
 * is the reference for all the tests of the class, and its duration spreads the kill moments.
 *
 * <p>Three small sample files of three formats, enough for rows in bronze, silver, ops.quarantine
 * and seven gold tables; {@code bin/kill-test} does the same on every sample with the launcher.
 */
class KillAndConcurrencyTest extends SparkTest {
  /**
   * Generic production (with bad records for the quarantine), BACI trade and plant capacity (some
   * quarantined): seven of the eight gold tables, as StandaloneClusterIT.
   */
  static final List<String> FILES =
      List.of(
          "production/synthetic-monthly-production.csv",
          "capacity/synthetic-plants.csv",
          "trade/synthetic-baci-2022.csv");

  /** Kills in CI; {@code -Dmetalslake.kills=N} for more. */
  static final int KILLS = Integer.getInteger("metalslake.kills", 3);

  /** {@code -Dmetalslake.kill.seed=S} repeats the kill moments of an earlier run. */
  static final long SEED = Long.getLong("metalslake.kill.seed", System.nanoTime() % 1_000_000);

  /** Columns that name the run or its clock: different in every run, never part of an answer. */
  static final Set<String> RUN_SPECIFIC =
      Set.of("_batch_id", "_ingested_at", "_quarantined_at", "batch_id", "ingested_at");

  /** Columns holding a file's path: compared relative to its landing folder. */
  static final Set<String> PATHS = Set.of("_source_file", "path");

  /** The one line a run that lost a race prints (cli.Main, exit 75). */
  static final String RETRY_MESSAGE = "another run changed the lake at the same time";

  /** The progress line of a write Delta refused and the run wrote again (pipeline.Parallel). */
  static final String WRITTEN_AGAIN = "writing again on the table as it now is";

  @TempDir static Path dir;
  static Path landing;
  static Path cleanLake;
  static int cleanCode;
  static double cleanSeconds;

  @BeforeAll
  static void cleanRun() throws Exception {
    spark(); // the session the reruns and the comparisons share, started before any child
    landing = dir.resolve("landing");
    copy(FILES, landing);
    cleanLake = dir.resolve("clean-lake");
    Path log = dir.resolve("clean.log");
    long t0 = System.nanoTime();
    Process p = start(landing, cleanLake, log);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the clean run finished");
    cleanSeconds = (System.nanoTime() - t0) / 1e9;
    cleanCode = p.exitValue();
    assertTrue(
        cleanCode == 0 || cleanCode == Main.EXIT_REJECTED,
        "the clean run exits 0 (or 65): " + cleanCode + "\n" + Files.readString(log));
    System.err.printf(
        Locale.ROOT,
        "KillAndConcurrencyTest: clean run %.1f s, exit %d, seed %d%n",
        cleanSeconds,
        cleanCode,
        SEED);
  }

  @Test
  void aRunKilledAtAnyMomentIsCompletedByTheNextRun() throws Exception {
    Random random = new Random(SEED);
    List<String> problems = new ArrayList<>();
    for (int k = 1; k <= KILLS; k++) {
      // One moment in each of KILLS equal slices of the clean run, so that even three kills fall
      // early, midway and late; a run that ends before its moment (runs vary in speed) is started
      // again into a fresh lake and killed at an earlier moment of the same slice's scale.
      double first = moment(random, k, KILLS, cleanSeconds);
      double moment = first;
      Path lake = null;
      Path log = null;
      boolean finished = true;
      for (int attempt = 1; finished && attempt <= 4; attempt++) {
        moment = first * Math.pow(0.75, attempt - 1);
        lake = dir.resolve("killed-lake-" + k + "-" + attempt);
        log = dir.resolve("killed-" + k + "-" + attempt + ".log");
        Process p = start(landing, lake, log);
        finished = p.waitFor((long) (moment * 1000), TimeUnit.MILLISECONDS);
        if (!finished) {
          p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
          p.waitFor();
        }
      }
      if (finished) {
        problems.add("kill " + k + ": every run ended before its kill moment (" + moment + " s)");
        continue;
      }
      String stage = stageReached(log);
      long t0 = System.nanoTime();
      int rerun = rerun(landing, lake);
      long t1 = System.nanoTime();
      List<String> diff = differences(cleanLake, lake);
      long t2 = System.nanoTime();
      String context =
          String.format(
              Locale.ROOT,
              "kill %d of %d at %.1f s (seed %d, stage %s)",
              k,
              KILLS,
              moment,
              SEED,
              stage);
      System.err.printf(
          Locale.ROOT,
          "KillAndConcurrencyTest: %s: rerun exit %d (%.1f s), %s (compared in %.1f s)%n",
          context,
          rerun,
          (t1 - t0) / 1e9,
          diff.isEmpty() ? "every table equal" : diff.size() + " tables differ",
          (t2 - t1) / 1e9);
      if (rerun != cleanCode) {
        problems.add(context + ": the rerun exited " + rerun + ", the clean run " + cleanCode);
      }
      for (String d : diff) {
        problems.add(context + ": " + d + "\n" + tail(log));
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  /**
   * The moment of kill {@code k} of {@code n}: uniform in the k-th of n equal slices of [1 s, 90 %
   * of the clean run] (the last tenth is closing work: a kill there leaves nothing to repeat).
   */
  static double moment(Random random, int k, int n, double cleanSeconds) {
    double span = Math.max(0, 0.9 * cleanSeconds - 1);
    return 1 + span * (k - 1 + random.nextDouble()) / n;
  }

  @Test
  void twoRunsAtOnceOnTheSameFilesLeaveTheCleanRunsTables() throws Exception {
    Path lake = dir.resolve("same-files-lake");
    twoAtOnce("same files", landing, landing, lake);
  }

  /**
   * The landing split in two folders, one run on each. The reference is the clean run over one
   * folder holding both: the two halves share no key (production and capacity against trade), so
   * silver is their union in any order, gold a function of silver, and quarantine and ingested
   * files are per file — a run over A then B, B then A or both at once writes the same rows.
   */
  @Test
  void twoRunsAtOnceOnDifferentFilesLeaveTheCleanRunsTables() throws Exception {
    Path first = dir.resolve("landing-a");
    Path second = dir.resolve("landing-b");
    copy(FILES.stream().filter(f -> !f.startsWith("trade/")).toList(), first);
    copy(FILES.stream().filter(f -> f.startsWith("trade/")).toList(), second);
    Path lake = dir.resolve("different-files-lake");
    twoAtOnce("different files", first, second, lake);
  }

  private static void twoAtOnce(String what, Path first, Path second, Path lake) throws Exception {
    Path logA = dir.resolve(lake.getFileName() + "-a.log");
    Path logB = dir.resolve(lake.getFileName() + "-b.log");
    long t0 = System.nanoTime();
    Process a = start(first, lake, logA);
    Process b = start(second, lake, logB);
    assertTrue(a.waitFor(10, TimeUnit.MINUTES) && b.waitFor(10, TimeUnit.MINUTES), what);
    List<String> outcome = new ArrayList<>();
    long retries = 0;
    assertFalse(
        a.exitValue() == Main.EXIT_RETRY && b.exitValue() == Main.EXIT_RETRY,
        what
            + ": both runs exited 75; at most one may (SPEC §8, Concurrency)\n"
            + tail(logA)
            + "\n"
            + tail(logB));
    for (Object[] run : new Object[][] {{"first", a, logA, first}, {"second", b, logB, second}}) {
      Process p = (Process) run[1];
      Path log = (Path) run[2];
      String out = Files.readString(log);
      retries += out.lines().filter(l -> l.contains(WRITTEN_AGAIN)).count();
      int code = p.exitValue();
      outcome.add(run[0] + " exit " + code);
      if (code == Main.EXIT_RETRY) {
        long lines = out.lines().filter(l -> l.contains(RETRY_MESSAGE)).count();
        assertEquals(1, lines, what + ", " + run[0] + " run: one line saying why\n" + out);
        int again = rerun((Path) run[3], lake);
        outcome.add("its rerun exit " + again);
        assertEquals(cleanCode, again, what + ", " + run[0] + " run again");
      } else {
        assertEquals(
            cleanCode, code, what + ", " + run[0] + " run: the clean run's code or 75\n" + out);
      }
    }
    outcome.add(retries + " writes written again after a refused commit");
    List<String> diff = differences(cleanLake, lake);
    System.err.printf(
        Locale.ROOT,
        "KillAndConcurrencyTest: two runs at once, %s: %s; %s (%.1f s in all)%n",
        what,
        String.join(", ", outcome),
        diff.isEmpty() ? "every table equal" : diff.size() + " tables differ",
        (System.nanoTime() - t0) / 1e9);
    assertTrue(
        diff.isEmpty(),
        "two runs at once, "
            + what
            + " ("
            + String.join(", ", outcome)
            + "):\n"
            + String.join("\n", diff)
            + "\n"
            + tail(logA)
            + "\n"
            + tail(logB));
  }

  /** {@code run --landing --lake} in a JVM of its own, output and errors to {@code log}. */
  static Process start(Path landing, Path lake, Path log) throws IOException {
    return CliProcess.start(
        log, Map.of(), "run", "--landing", landing.toString(), "--lake", lake.toString());
  }

  /** The run again, to completion, in this JVM (the command line, on the shared session). */
  static int rerun(Path landing, Path lake) {
    return Main.execute("run", "--landing", landing.toString(), "--lake", lake.toString());
  }

  /** The sample files, with their modification times (ops.ingested_files records them). */
  static void copy(List<String> files, Path to) throws IOException {
    for (String f : files) {
      Path target = to.resolve(f);
      Files.createDirectories(target.getParent());
      Files.copy(
          new File(projectDir(), "data/samples/" + f).toPath(),
          target,
          StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  private static final Pattern PROGRESS = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (\\w+) ");
  private static final Set<String> STAGES = Set.of("scan", "ref", "bronze", "silver", "gold");

  /** The last stage the run's progress lines name ("start" before the first). */
  static String stageReached(Path log) throws IOException {
    String stage = "start";
    for (String line : Files.readAllLines(log)) {
      Matcher m = PROGRESS.matcher(line);
      if (m.find() && STAGES.contains(m.group(1))) {
        stage = m.group(1);
      }
    }
    return stage;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return log.getFileName()
        + ":\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
  }

  /**
   * Every table of {@code expected} and {@code actual} that a run writes from its input — bronze,
   * silver, gold, ops.quarantine and ops.ingested_files — compared row for row with {@link
   * LakeDiff} (doubles to its precision). LakeDiff leaves out the lineage columns ({@code _…});
   * here they are compared too, since a rerun must reproduce them (file, line, format, field
   * counts), except those naming the run or its clock ({@link #RUN_SPECIFIC}); paths are compared
   * relative to their landing folder. ops.runs and ops.rejected_files are logs of runs, one row per
   * run.
   */
  static List<String> differences(Path expected, Path actual) {
    Lake a = new Lake(spark(), expected.toString(), false);
    Lake b = new Lake(spark(), actual.toString(), false);
    Set<String> names = new TreeSet<>(List.of("ops.quarantine", "ops.ingested_files"));
    for (Lake l : List.of(a, b)) {
      for (TableId t : l.catalog().list()) {
        if (List.of("bronze", "silver", "gold").contains(t.layer())) {
          names.add(t.qualified());
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String name : names) {
      TableId t = TableId.parse(name);
      if (!a.exists(t) || !b.exists(t)) {
        out.add(name + ": only in the " + (a.exists(t) ? "clean" : "other") + " lake");
        continue;
      }
      LakeDiff.Result r = LakeDiff.compare(name, comparable(a.read(t)), comparable(b.read(t)));
      if (!r.equal()) {
        out.add(name + ": " + r);
      }
    }
    return out;
  }

  private static Dataset<Row> comparable(Dataset<Row> table) {
    Dataset<Row> df = table;
    for (String c : table.columns()) {
      if (RUN_SPECIFIC.contains(c)) {
        df = df.drop(c);
        continue;
      }
      if (PATHS.contains(c)) {
        df = df.withColumn(c, regexp_replace(col(c), "^.*/landing(-a|-b)?/", ""));
      }
      if (c.startsWith("_")) {
        df = df.withColumnRenamed(c, "lineage" + c);
      }
    }
    return df;
  }
}
