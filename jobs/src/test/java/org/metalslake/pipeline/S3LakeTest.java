package org.metalslake.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.ops.Progress;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Tables;
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
    s3 = S3Server.start(dir.resolve("s3"), "metals-lake");
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
    Map<String, String> set = new LinkedHashMap<>();
    set.put("spark.master", "local[2]");
    set.put("spark.conf.\"spark.sql.shuffle.partitions\"", "2");
    set.put("spark.conf.\"spark.hadoop.fs.s3a.endpoint\"", s3.endpoint());
    set.put("spark.conf.\"spark.hadoop.fs.s3a.path.style.access\"", "true");
    set.put("spark.conf.\"spark.hadoop.fs.s3a.connection.ssl.enabled\"", "false");
    return Settings.load(new File(projectDir(), "conf/s3.conf"), set);
  }

  @Test
  void theLakeOnS3EqualsTheLocalLake() throws IOException {
    Settings settings = s3Settings();
    assertEquals("s3a://metals-lake/lake", settings.lakeRoot());
    // The running test session takes the file's s3a settings (a job's session gets them at
    // start-up from spark.conf).
    Configuration hadoop = spark().sparkContext().hadoopConfiguration();
    settings.sparkConf().entrySet().stream()
        .filter(e -> e.getKey().startsWith("spark.hadoop."))
        .forEach(e -> hadoop.set(e.getKey().substring("spark.hadoop.".length()), e.getValue()));

    // The same files in a local landing zone and in the bucket.
    Path local = dir.resolve("landing");
    FileSystem fs = new org.apache.hadoop.fs.Path("s3a://metals-lake/").getFileSystem(hadoop);
    for (String f : FILES) {
      Path src = new File(projectDir(), "data/samples/" + f).toPath();
      Path copy = local.resolve(f);
      Files.createDirectories(copy.getParent());
      Files.copy(src, copy);
      fs.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(src.toString()),
          new org.apache.hadoop.fs.Path("s3a://metals-lake/landing/" + f));
    }

    long t0 = System.nanoTime();
    Pipeline onS3 = new Pipeline(spark(), settings, new Progress());
    Pipeline.Result s3Run = onS3.run("run", "run", List.of(settings.landing()), false);
    long t1 = System.nanoTime();
    assertEquals("succeeded", s3Run.status());
    assertEquals(FILES.size(), s3Run.files().size());

    Settings localSettings =
        testSettings(
            Map.of(
                Settings.LAKE_ROOT, dir.resolve("lake").toString(),
                Settings.LAKE_LANDING, local.toString()));
    Pipeline onDisk = new Pipeline(spark(), localSettings, new Progress());
    assertEquals(
        "succeeded", onDisk.run("run", "run", List.of(localSettings.landing()), false).status());

    Map<String, List<String>> fromS3 = GoldSnapshot.of(onS3.lake());
    Map<String, List<String>> fromDisk = GoldSnapshot.of(onDisk.lake());
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
}
