package org.metalslake.testing;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line in a JVM of its own, started as the launcher starts it (the project's log4j2
 * configuration, the JVM flags Spark needs): its console, stdout and stderr together, is what a
 * user sees.
 */
public final class CliProcess {
  private CliProcess() {}

  /** How a command ended: its exit code and everything it printed. */
  public record Outcome(int code, String console) {
    public List<String> lines() {
      return console.lines().toList();
    }
  }

  /**
   * Starts {@code metals-lake args…} with the test JVM's classpath; its console goes to {@code
   * log}. The environment is this JVM's without AWS and METALS_LAKE variables, plus {@code env}.
   */
  public static Process start(Path log, Map<String, String> env, String... args)
      throws IOException {
    File project = SparkTest.projectDir();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Short-lived JVM on a small machine: quick JIT, a simple collector.
    cmd.addAll(
        List.of(
            "-Xmx1g",
            "-XX:+UseParallelGC",
            "-XX:-DontCompileHugeMethods",
            "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=256m"));
    cmd.addAll(sparkFlags());
    cmd.add("-Dlog4j2.configurationFile=" + new File(project, "conf/log4j2.properties"));
    cmd.add("-Dmetalslake.home=" + project);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.metalslake.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("METALS_LAKE_"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits for a started command; kills it and fails when it has not ended in time. */
  public static Outcome await(Process p, Path log, long timeoutSeconds)
      throws IOException, InterruptedException {
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "the command did not end within "
              + timeoutSeconds
              + " s:\n"
              + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Outcome(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Runs a command to its end. */
  public static Outcome run(Path log, Map<String, String> env, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    return await(start(log, env, args), log, timeoutSeconds);
  }

  /**
   * The module opens and properties Spark needs on Java 17, as this JVM got them (the build passes
   * the launcher's list to the tests).
   */
  private static List<String> sparkFlags() {
    List<String> flags =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                a ->
                    a.startsWith("--add-opens")
                        || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
                        || a.startsWith("-Djdk.reflect.useDirectMethodHandle")
                        || a.startsWith("-Dio.netty.tryReflectionSetAccessible"))
            .toList();
    if (flags.stream().noneMatch(a -> a.startsWith("--add-opens"))) {
      throw new IllegalStateException(
          "the test JVM has no --add-opens flags to pass on: run the tests through Maven");
    }
    return flags;
  }
}
