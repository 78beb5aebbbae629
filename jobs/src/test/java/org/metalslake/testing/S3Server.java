package org.metalslake.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * An S3-compatible server (S3Proxy, filesystem backend) in its own process on 127.0.0.1, with a
 * fresh random key pair, for tests of the lake on {@code s3a://}. Its jars are gathered by the
 * {@code tools/s3proxy} module of the build.
 */
public final class S3Server implements AutoCloseable {
  public final int port;
  public final String accessKey = "test-" + UUID.randomUUID().toString().substring(0, 8);
  public final String secretKey = UUID.randomUUID().toString();
  private final Path dir;
  private final Path conf;
  private Process process;

  private S3Server(Path dir, List<String> buckets) throws IOException, InterruptedException {
    File lib = new File(SparkTest.projectDir(), "tools/s3proxy/target/lib");
    if (!lib.isDirectory()) {
      throw new IllegalStateException(
          "no S3 test server jars in "
              + lib
              + ": build the whole project (./mvnw verify), or ./mvnw -pl tools/s3proxy verify");
    }
    this.dir = dir;
    port = LocalProcesses.freePort();
    Path data = Files.createDirectories(dir.resolve("data"));
    for (String b : buckets) {
      Files.createDirectories(data.resolve(b)); // a folder of the backend is a bucket
    }
    conf = dir.resolve("s3proxy.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + accessKey,
            "s3proxy.credential=" + secretKey,
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
            ""),
        StandardCharsets.UTF_8);
    launch();
  }

  /** Starts the server process on {@link #port} with the configuration and data written. */
  private void launch() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File lib = new File(SparkTest.projectDir(), "tools/s3proxy/target/lib");
    process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                lib.getAbsolutePath() + File.separator + "*",
                "org.gaul.s3proxy.Main",
                "--properties",
                conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
            .start();
    LocalProcesses.awaitPort(port, process, 60, dir.resolve("s3proxy.log"));
  }

  public static S3Server start(Path dir, String... buckets)
      throws IOException, InterruptedException {
    return new S3Server(dir, List.of(buckets));
  }

  /** The folder holding a bucket's objects (one file per object key), to watch a run's writes. */
  public Path bucketDir(String bucket) {
    return dir.resolve("data").resolve(bucket);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Stops the server as an outage would: clients get "connection refused" until {@link #restart}.
   */
  public synchronized void stop() {
    LocalProcesses.stop(process);
  }

  /** Starts the server again on the same port, keys and data (what it stored is still there). */
  public synchronized void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      throw new IllegalStateException("the S3 test server is running already");
    }
    launch();
  }

  @Override
  public synchronized void close() {
    LocalProcesses.stop(process);
  }
}
