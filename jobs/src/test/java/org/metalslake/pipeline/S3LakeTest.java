package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.Progress;
import org.metalslake.ref.RefData;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;
import org.metalslake.testing.CliProcess;
import org.metalslake.testing.GoldSnapshot;
import org.metalslake.testing.S3Server;
import org.metalslake.testing.SparkTest;

/**
 * The whole pipeline with the lake and the landing zone on {@code s3a://}, against an S3 server
 * started on 127.0.0.1, configured by {@code conf/s3.conf} with the keys from the AWS credential
 * chain (system properties here), gives the same gold rows as a local run on the same files, and
 * never writes the keys into the lake.
 */
class S3LakeTest extends SparkTest {
  @TempDir static Path dir;
  static S3Server s3;

  /** One file per dataset, so every gold table is built (and quickly). */
  static final List<String> FILES =
      List.of(
          "production/synthetic-monthly-production.csv",
          "trade/synthetic-baci-2022.csv",
          "capacity/synthetic-plants.csv",
          "prices/synthetic-prices.csv");

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3Server.start(dir.resolve("s3"), "metals-lake", OUTAGE);
    System.setProperty("aws.accessKeyId", s3.accessKey);
    System.setProperty("aws.secretAccessKey", s3.secretKey);
  }

  @AfterAll
  static void stopS3() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (s3 != null) {
      s3.close();
    }
  }

  /** conf/s3.conf as a user would run it against this server. */
  static Settings s3Settings() {
    return s3Settings(Map.of());
  }

  static Settings s3Settings(Map<String, String> more) {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("spark.master", "local[2]");
    set.put("spark.conf.\"spark.sql.shuffle.partitions\"", "2");
    set.put("spark.conf.\"spark.hadoop.fs.s3a.endpoint\"", s3.endpoint());
    set.put("spark.conf.\"spark.hadoop.fs.s3a.path.style.access\"", "true");
    set.put("spark.conf.\"spark.hadoop.fs.s3a.connection.ssl.enabled\"", "false");
    set.putAll(more);
    return Settings.load(new File(projectDir(), "conf/s3.conf"), set);
  }

  /** The test session's Hadoop settings with conf/s3.conf's s3a settings for this server. */
  static Configuration s3Hadoop(Settings settings) {
    // The running test session takes the file's s3a settings (a job's session gets them at
    // start-up from spark.conf).
    Configuration hadoop = spark().sparkContext().hadoopConfiguration();
    settings.sparkConf().entrySet().stream()
        .filter(e -> e.getKey().startsWith("spark.hadoop."))
        .forEach(e -> hadoop.set(e.getKey().substring("spark.hadoop.".length()), e.getValue()));
    return hadoop;
  }

  /** Copies {@link #FILES} into {@code landing} ({@code s3a://bucket/prefix}). */
  static void land(Configuration hadoop, String landing) throws IOException {
    FileSystem fs = new org.apache.hadoop.fs.Path(landing).getFileSystem(hadoop);
    for (String f : FILES) {
      fs.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(new File(projectDir(), "data/samples/" + f).toString()),
          new org.apache.hadoop.fs.Path(landing + "/" + f));
    }
  }

  /** A clean run on the same files in a local lake: its pipeline, result and gold rows. */
  record CleanRun(Pipeline pipeline, Pipeline.Result result, Map<String, List<String>> gold) {}

  private static CleanRun cleanRun;

  /** The clean local run, made once for the class. */
  static synchronized CleanRun cleanLocalRun() throws IOException {
    if (cleanRun == null) {
      Path local = dir.resolve("landing");
      for (String f : FILES) {
        Path copy = local.resolve(f);
        Files.createDirectories(copy.getParent());
        Files.copy(new File(projectDir(), "data/samples/" + f).toPath(), copy);
      }
      Settings localSettings =
          testSettings(
              Map.of(
                  Settings.LAKE_ROOT, dir.resolve("lake").toString(),
                  Settings.LAKE_LANDING, local.toString()));
      Pipeline onDisk = new Pipeline(spark(), localSettings, new Progress());
      Pipeline.Result r = onDisk.run("run", "run", List.of(localSettings.landing()), false);
      assertEquals("succeeded", r.status());
      cleanRun = new CleanRun(onDisk, r, GoldSnapshot.of(onDisk.lake()));
    }
    return cleanRun;
  }

  @Test
  void theLakeOnS3EqualsTheLocalLake() throws IOException {
    Settings settings = s3Settings();
    assertEquals("s3a://metals-lake/lake", settings.lakeRoot());
    Configuration hadoop = s3Hadoop(settings);
    FileSystem fs = new org.apache.hadoop.fs.Path("s3a://metals-lake/").getFileSystem(hadoop);
    land(hadoop, "s3a://metals-lake/landing");

    Pipeline onS3 = new Pipeline(spark(), settings, new Progress());
    Pipeline.Result s3Run = onS3.run("run", "run", List.of(settings.landing()), false);
    assertEquals("succeeded", s3Run.status());
    assertEquals(FILES.size(), s3Run.files().size());

    Map<String, List<String>> fromS3 = GoldSnapshot.of(onS3.lake());
    Map<String, List<String>> fromDisk = cleanLocalRun().gold();
    assertEquals(8, fromS3.size(), "every gold table: " + fromS3.keySet());
    assertEquals(fromDisk.keySet(), fromS3.keySet());
    for (String t : fromDisk.keySet()) {
      assertEquals(fromDisk.get(t), fromS3.get(t), t + " rows on S3 and on disk");
    }

    // The tables really are in the bucket.
    assertTrue(
        fs.exists(
            new org.apache.hadoop.fs.Path(
                "s3a://metals-lake/lake/gold/supply_balance/_delta_log")));
    // The keys are nowhere in the lake's own records.
    Lake lake = onS3.lake();
    for (var t : List.of(Tables.RUNS, Tables.QUARANTINE, Tables.INGESTED_FILES)) {
      String all = String.join("\n", lake.read(t).toJSON().collectAsList());
      assertFalse(all.contains(s3.secretKey), t + " holds the secret key");
      assertFalse(all.contains(s3.accessKey), t + " holds the access key");
    }
    // And none in the configuration file users copy.
    String conf = Files.readString(new File(projectDir(), "conf/s3.conf").toPath());
    assertFalse(conf.matches("(?s).*(access|secret)\\.key\"?\\s*=.*"), "keys in conf/s3.conf");
  }

  /**
   * {@code ref.dir} on {@code s3a://} is read through Hadoop's file system: a code list put in the
   * bucket changes that table (and only that one) against the bundled files, and a folder that is
   * not there fails with the one line that names it instead of falling back to the bundled files.
   */
  @Test
  void refDirOnS3IsReadFromTheBucketAndAMissingOneFailsInOneLine() throws IOException {
    Configuration hadoop = s3Hadoop(s3Settings());
    String refDir = "s3a://metals-lake/ref";
    FileSystem fs = new org.apache.hadoop.fs.Path(refDir).getFileSystem(hadoop);
    StringBuilder areas = new StringBuilder();
    for (List<String> r : RefData.rows("trade_areas.csv", "")) {
      areas.append('"').append(String.join("\",\"", r)).append("\"\n");
    }
    areas.append("9990,\"Test area, nes\",XOC\n");
    try (var out = fs.create(new org.apache.hadoop.fs.Path(refDir + "/trade_areas.csv"))) {
      out.write(areas.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    RefData bundled = RefData.load(spark(), "");
    RefData fromS3 = RefData.load(spark(), refDir);
    for (String table : bundled.tables().keySet()) {
      if (table.equals("trade_country_codes")) {
        assertNotEquals(bundled.fingerprint(table), fromS3.fingerprint(table), table);
      } else {
        assertEquals(bundled.fingerprint(table), fromS3.fingerprint(table), table);
      }
    }
    Row area = fromS3.tables().get("trade_country_codes").filter(col("code").equalTo(9990)).first();
    assertEquals(RowFactory.create(9990, "XOC", "other", "Test area, nes"), area);

    String missing = "s3a://metals-lake/no-such-ref";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RefData.load(spark(), missing));
    assertTrue(
        e.getMessage().startsWith("ref.dir " + missing + " is not a folder"), e.getMessage());
  }

  /**
   * The storage goes away in the middle of a run and comes back: the run fails within a minute with
   * one line on the console and no stack trace, the next run (the same command) completes, and the
   * lake then holds what a clean run gives: the same gold rows and counts that reconcile. Both runs
   * go through the command line in a JVM of their own, so the console is what a user sees.
   */
  @Test
  void aRunCutOffFromItsStorageFailsInOneLineAndTheNextRunCompletesIt() throws Exception {
    land(s3Hadoop(s3Settings()), "s3a://" + OUTAGE + "/landing");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("METALS_LAKE_ROOT", "s3a://" + OUTAGE + "/lake");
    env.put("METALS_LAKE_LANDING", "s3a://" + OUTAGE + "/landing");
    env.put("METALS_LAKE_S3_ENDPOINT", s3.endpoint());
    env.put("METALS_LAKE_S3_PATH_STYLE", "true");
    env.put("METALS_LAKE_S3_SSL", "false");
    env.put("AWS_ACCESS_KEY_ID", s3.accessKey);
    env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey);
    String[] run = {
      "run",
      "--conf",
      new File(projectDir(), "conf/s3.conf").toString(),
      "--set",
      "spark.master=local[2]",
      "--set",
      "spark.conf.\"spark.sql.shuffle.partitions\"=2",
      // Give up quickly when the store does not answer (S3A's defaults retry for minutes).
      "--set",
      "spark.conf.\"spark.hadoop.fs.s3a.retry.limit\"=1",
      "--set",
      "spark.conf.\"spark.hadoop.fs.s3a.retry.interval\"=100ms",
      "--set",
      "spark.conf.\"spark.hadoop.fs.s3a.attempts.maximum\"=1"
    };

    // The server stops once the run has committed bronze and its first silver table, while it
    // writes the others.
    Path firstLog = dir.resolve("outage-run.log");
    Process first = CliProcess.start(firstLog, env, run);
    Path silver = s3.bucketDir(OUTAGE).resolve("lake/silver");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!hasCommit(silver)) {
      assertTrue(
          first.isAlive(),
          "the run ended before the storage went away:\n" + Files.readString(firstLog));
      assertTrue(System.nanoTime() < deadline, "no silver commit in 300 s");
      Thread.sleep(50);
    }
    s3.stop();
    long stopped = System.nanoTime();
    CliProcess.Outcome failed;
    try {
      failed = CliProcess.await(first, firstLog, 180);
    } finally {
      s3.restart();
    }
    double failedAfter = (System.nanoTime() - stopped) / 1e9;
    String console = failed.console();
    assertEquals(1, failed.code(), console);
    List<String> ours = failed.lines().stream().filter(l -> l.startsWith("metals-lake: ")).toList();
    assertEquals(1, ours.size(), "one line of ours:\n" + console);
    assertTrue(ours.get(0).startsWith("metals-lake: storage error: "), console);
    assertTrue(ours.get(0).contains("s3a://" + OUTAGE + "/lake/"), "names the path: " + console);
    assertTrue(ours.get(0).endsWith("run it again when the storage is reachable"), console);
    assertNoStackTrace(console);
    assertFalse(console.contains(s3.secretKey), "the secret key on the console");
    assertTrue(failedAfter < 90, "failed " + failedAfter + " s after the outage:\n" + console);

    // The same command once the storage is back.
    CliProcess.Outcome again = CliProcess.run(dir.resolve("rerun.log"), env, 400, run);
    assertEquals(0, again.code(), again.console());
    assertNoStackTrace(again.console());

    Lake lake =
        new Lake(spark(), s3Settings(Map.of(Settings.LAKE_ROOT, "s3a://" + OUTAGE + "/lake")));
    CleanRun clean = cleanLocalRun();
    Map<String, List<String>> gold = GoldSnapshot.of(lake);
    assertEquals(clean.gold().keySet(), gold.keySet());
    for (String t : clean.gold().keySet()) {
      assertEquals(clean.gold().get(t), gold.get(t), t + " after the outage and a clean run");
    }
    // Each file ingested once, its records reconciled and quarantined once, as in the clean run.
    Map<String, List<Long>> cleanCounts = new TreeMap<>();
    for (FileCount f : clean.result().files()) {
      cleanCounts.put(f.fileId(), List.of(f.records(), f.quarantined(), f.toSilver()));
    }
    Map<String, List<Long>> counts = fileCounts(lake);
    assertEquals(cleanCounts, counts);
    assertEquals(FILES.size(), lake.read(Tables.INGESTED_FILES).count());
    Lake cleanLake = clean.pipeline().lake();
    assertEquals(
        cleanLake.read(Tables.QUARANTINE).count(),
        lake.read(Tables.QUARANTINE).count(),
        "quarantine rows");
    assertEquals(
        counts.values().stream().mapToLong(c -> c.get(1)).sum(),
        lake.read(Tables.QUARANTINE).select("_file_id", "_line").distinct().count(),
        "quarantined records");
    for (TableId t :
        List.of(Tables.PRODUCTION, Tables.TRADE_FLOWS, Tables.CAPACITY, Tables.PRICES)) {
      assertEquals(cleanLake.read(t).count(), lake.read(t).count(), t.qualified());
    }
  }

  static final String OUTAGE = "outage";

  /** Whether a table under {@code layer} has its first commit. */
  static boolean hasCommit(Path layer) throws IOException {
    if (!Files.isDirectory(layer)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(layer)) {
      return files.anyMatch(
          f ->
              f.getFileName().toString().endsWith(".json")
                  && f.getParent().getFileName().toString().equals("_delta_log"));
    }
  }

  static void assertNoStackTrace(String console) {
    for (String line : console.lines().toList()) {
      assertFalse(
          line.matches("\\s+at .*") || line.startsWith("Caused by:"),
          "a stack trace on the console:\n" + console);
    }
  }

  /**
   * Per file (by content hash) of the last succeeded run: records, quarantined, to silver; each
   * reconciled (records = to silver + quarantined).
   */
  static Map<String, List<Long>> fileCounts(Lake lake) {
    Row run =
        lake.read(Tables.RUNS)
            .filter(col("status").equalTo("succeeded"))
            .orderBy(col("ended_at").desc())
            .first();
    Map<String, List<Long>> out = new TreeMap<>();
    for (Row f : run.<Row>getList(run.fieldIndex("files"))) {
      long records = f.getAs("records");
      long quarantined = f.getAs("quarantined");
      long toSilver = f.getAs("to_silver");
      assertEquals(records, toSilver + quarantined, f.<String>getAs("file"));
      out.put(f.getAs("file_id"), List.of(records, quarantined, toSilver));
    }
    return out;
  }
}
