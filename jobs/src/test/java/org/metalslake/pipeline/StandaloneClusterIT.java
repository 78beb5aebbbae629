package org.metalslake.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.ops.Progress;
import org.metalslake.storage.Lake;
import org.metalslake.testing.GoldSnapshot;
import org.metalslake.testing.LocalProcesses;
import org.metalslake.testing.SparkTest;

/**
 * The application jar on a real multi-process cluster: a Spark standalone master and two workers,
 * each its own JVM on 127.0.0.1, running only what a Spark installation provides; spark-submit (its
 * own JVM, client mode) sends {@code jobs/target/metals-lake.jar} with {@code conf/cluster.conf};
 * the gold rows equal a local run's on the same files.
 */
class StandaloneClusterIT extends SparkTest {
  @TempDir static Path dir;
  static final List<Process> daemons = new ArrayList<>();
  static Path sparkHome;
  static int masterPort;

  /** Production, trade and capacity: seven of the eight gold tables (S3LakeTest has prices). */
  static final List<String> FILES =
      List.of(
          "production/synthetic-monthly-production.csv",
          "trade/synthetic-baci-2022.csv",
          "capacity/synthetic-plants.csv");

  /** Short-lived JVMs on two cores: quick JIT and a simple collector (about a third faster). */
  static final String JVM_FLAGS =
      "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m -XX:+UseParallelGC"
          + " -XX:-DontCompileHugeMethods";

  static File jobsTarget() {
    return new File(projectDir(), "jobs/target");
  }

  /**
   * A Spark "installation": SPARK_HOME/jars with what the build has as provided, that is Spark and
   * the libraries it ships (the launcher's compile+provided classpath less its compile+runtime one,
   * which is exactly what the application jar bundles). Delta, the AWS SDK and the rest of the
   * application reach the driver and the executors in the application jar or not at all.
   */
  static Path sparkHome() throws IOException {
    Path home = dir.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    Set<String> bundled = new HashSet<>(classpath("classpath-runtime.txt"));
    for (String jar : classpath("classpath-compile.txt")) {
      if (bundled.contains(jar)) {
        continue;
      }
      Path src = Path.of(jar);
      Path link = jars.resolve(src.getFileName());
      if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, src);
      }
    }
    return home;
  }

  static List<String> classpath(String file) throws IOException {
    String cp =
        Files.readString(new File(jobsTarget(), file).toPath(), StandardCharsets.UTF_8).strip();
    return List.of(cp.split(File.pathSeparator));
  }

  static ProcessBuilder spark(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.addAll(List.of(JVM_FLAGS.split(" ")));
    cmd.add("-Dspark.master.rest.enabled=false");
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + File.separator + "*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    // An installed Spark knows its Scala version from its layout; this one is told.
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOG_DIR", dir.resolve("logs").toString());
    return pb.redirectErrorStream(true);
  }

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(
        new File(jobsTarget(), "metals-lake.jar").isFile(),
        "the application jar: ./mvnw package (without -DskipDist)");
    sparkHome = sparkHome();
    masterPort = LocalProcesses.freePort();
    Path masterLog = dir.resolve("master.log");
    Process master =
        spark(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(masterPort),
                "--webui-port",
                "0")
            .redirectOutput(masterLog.toFile())
            .start();
    daemons.add(master);
    LocalProcesses.awaitPort(masterPort, master, 90, masterLog);
    for (int i = 1; i <= 2; i++) {
      Path log = dir.resolve("worker" + i + ".log");
      int port = LocalProcesses.freePort();
      Process worker =
          spark(
                  "org.apache.spark.deploy.worker.Worker",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  String.valueOf(port),
                  "--webui-port",
                  "0",
                  "--cores",
                  "1",
                  "--memory",
                  "1g",
                  "--work-dir",
                  dir.resolve("work" + i).toString(),
                  "spark://127.0.0.1:" + masterPort)
              .redirectOutput(log.toFile())
              .start();
      daemons.add(worker);
      LocalProcesses.awaitPort(port, worker, 90, log);
    }
    // Both workers registered with the master.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Files.readString(masterLog).split("Registering worker", -1).length - 1 < 2) {
      assertTrue(System.nanoTime() < deadline, "two workers registered: " + masterLog);
      Thread.sleep(250);
    }
  }

  @AfterAll
  static void stopCluster() {
    daemons.forEach(LocalProcesses::stop);
  }

  @Test
  void sparkSubmitOnTheClusterGivesTheLocalGoldRows() throws Exception {
    Path landing = dir.resolve("landing");
    for (String f : FILES) {
      Path copy = landing.resolve(f);
      Files.createDirectories(copy.getParent());
      Files.copy(new File(projectDir(), "data/samples/" + f).toPath(), copy);
    }
    Path clusterLake = dir.resolve("cluster-lake");
    Path submitLog = dir.resolve("submit.log");
    long t0 = System.nanoTime();
    Process submit =
        spark(
                "org.apache.spark.deploy.SparkSubmit",
                "--master",
                "spark://127.0.0.1:" + masterPort,
                "--deploy-mode",
                "client",
                "--class",
                "org.metalslake.cli.Main",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--conf",
                "spark.executor.memory=768m",
                "--conf",
                "spark.executor.cores=1",
                "--conf",
                "spark.cores.max=2",
                "--conf",
                "spark.executor.extraJavaOptions=" + JVM_FLAGS,
                "--conf",
                "spark.sql.shuffle.partitions=2",
                "--conf",
                "spark.default.parallelism=2",
                // cluster.conf's 50 suits big tables; these are small (spark-submit's --conf wins)
                "--conf",
                "spark.databricks.delta.snapshotPartitions=2",
                "--conf",
                "spark.ui.enabled=false",
                new File(jobsTarget(), "metals-lake.jar").getPath(),
                "run",
                "--conf",
                new File(projectDir(), "conf/cluster.conf").getPath(),
                "--set",
                "lake.root=" + clusterLake,
                "--set",
                "lake.landing=" + landing,
                "--set",
                "lake.catalog=path")
            .redirectOutput(submitLog.toFile())
            .start();
    assertTrue(submit.waitFor(20, TimeUnit.MINUTES), "spark-submit finished");
    String out = Files.readString(submitLog);
    assertEquals(0, submit.exitValue(), out);
    double clusterSeconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(out.contains("succeeded"), out);

    // The work ran in executors on both workers, not in the driver.
    for (int i = 1; i <= 2; i++) {
      try (Stream<Path> files = Files.walk(dir.resolve("work" + i))) {
        assertTrue(
            files.anyMatch(p -> p.getFileName().toString().equals("stderr")),
            "an executor ran on worker " + i);
      }
    }

    Settings local =
        testSettings(
            Map.of(
                Settings.LAKE_ROOT, dir.resolve("local-lake").toString(),
                Settings.LAKE_LANDING, landing.toString()));
    Pipeline p = new Pipeline(spark(), local, new Progress());
    assertEquals("succeeded", p.run("run", "run", List.of(local.landing()), false).status());

    Map<String, List<String>> fromCluster =
        GoldSnapshot.of(new Lake(spark(), clusterLake.toString(), false));
    Map<String, List<String>> fromLocal = GoldSnapshot.of(p.lake());
    assertEquals(7, fromLocal.size(), "all but price trends: " + fromLocal.keySet());
    assertEquals(fromLocal.keySet(), fromCluster.keySet());
    for (String t : fromLocal.keySet()) {
      assertEquals(fromLocal.get(t), fromCluster.get(t), t + " rows on the cluster and locally");
    }
    System.err.printf(
        java.util.Locale.ROOT, "StandaloneClusterIT: spark-submit run %.1f s%n", clusterSeconds);
  }
}
