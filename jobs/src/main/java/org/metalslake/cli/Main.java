package org.metalslake.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.metalslake.pipeline.Pipeline;
import org.metalslake.pipeline.PipelineException;
import org.metalslake.storage.Conflicts;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point, the same locally and under spark-submit. Exit codes: 0 success, 1 the run
 * failed (unreadable input under {@code ingest.on-rejected-file = fail}, too much bad data, the
 * storage failing, error), 2 usage error, 65 some files were rejected (every other file was
 * ingested; fix or remove them), 75 another run changed the lake at the same time (retry). A
 * failure is one line on stderr; only an unexpected one (a bug) adds its stack trace, unless {@code
 * METALS_LAKE_DEBUG=1} asks for every one.
 */
@Command(
    name = "metals-lake",
    mixinStandardHelpOptions = true,
    version = "metals-lake 0.1.0",
    description = "Non-ferrous metals production, trade and capacity data in Delta Lake.",
    subcommands = {
      RunCommand.class,
      IngestCommand.class,
      SqlCommand.class,
      TablesCommand.class,
      HistoryCommand.class,
      ChangeCommand.class,
      ExportCommand.class,
      MaintainCommand.class,
      RestoreCommand.class,
      StatusCommand.class,
      ValidateCommand.class,
      ConfigCommand.class,
      ReportCommand.class,
      GenerateCommand.class,
      CompareCommand.class
    })
public final class Main implements Runnable {
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  /** Some files were rejected, every other file ingested (sysexits' EX_DATAERR). */
  public static final int EXIT_REJECTED = 65;

  public static final int EXIT_RETRY = 75;

  /**
   * The exit code of a run with this status in ops.runs: what {@code run} returns and what {@code
   * status} answers for it — 0 succeeded or nothing new, 65 partial (files rejected), 75 conflict
   * (another run at the same time), 1 failed.
   */
  public static int exitCode(String status) {
    return switch (status == null ? "" : status) {
      case "succeeded", "nothing_new" -> 0;
      case Pipeline.PARTIAL -> EXIT_REJECTED;
      case Pipeline.CONFLICT -> EXIT_RETRY;
      default -> EXIT_FAILED;
    };
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "a command is required: run, ingest, status, sql, tables, history, restore, generate");
  }

  public static void main(String[] args) {
    int code = execute(args);
    Sessions.stopIfStarted();
    System.exit(code);
  }

  /** Runs a command line and returns its exit code (the session stays up, for tests). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("metals-lake: " + ex.getMessage() + " (try --help)");
          err.flush();
          return EXIT_USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          Throwable refusal = Conflicts.refusal(ex);
          if (refusal != null) {
            err.println(
                "metals-lake: another run changed the lake at the same time; nothing of this run"
                    + " was half-written. Run it again. ("
                    + refusal.getClass().getSimpleName()
                    + ")");
            err.flush();
            return EXIT_RETRY;
          }
          Throwable storage = ex instanceof IllegalArgumentException ? null : storageFailure(ex);
          if (storage != null) {
            // The storage (S3, HDFS, a disk) failed under the run: not a bug, so no stack trace
            // unless asked for; what a scheduler's log needs is the cause and what to do.
            err.println(
                "metals-lake: storage error: "
                    + storageCause(storage, ex)
                    + ". Every table is as its last complete commit left it (a Delta commit is"
                    + " all or nothing) and this run's files are not marked as ingested: run it"
                    + " again when the storage is reachable");
            if (debug()) {
              ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_FAILED;
          }
          String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
          if (ex instanceof IllegalArgumentException || ex instanceof PipelineException) {
            err.println("metals-lake: " + msg);
            if (debug()) {
              ex.printStackTrace(err);
            }
          } else {
            // Unexpected: a bug to report, with its stack trace.
            err.println("metals-lake: failed: " + firstLine(msg));
            ex.printStackTrace(err);
          }
          err.flush();
          return EXIT_FAILED;
        });
    return cli.execute(args);
  }

  /** The AWS SDK's client-side failure (no answer, a refused connection), by name. */
  private static final String SDK_CLIENT_EXCEPTION =
      "software.amazon.awssdk.core.exception.SdkClientException";

  /**
   * The first failure of the storage in {@code ex}'s cause chain (an I/O exception, also when
   * wrapped unchecked, or the AWS SDK's client exception), or null when there is none.
   */
  static Throwable storageFailure(Throwable ex) {
    for (Throwable t : causes(ex)) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return t;
      }
      for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
        if (c.getName().equals(SDK_CLIENT_EXCEPTION)) {
          return t;
        }
      }
    }
    return null;
  }

  /**
   * A storage failure's message, short: its first line, without the class names S3A puts in front
   * of the SDK's message or the SDK's repetition of it, and with the location: S3A names an object
   * by its key alone ("Writing Object on lake/silver/…"), so when the message has no URI, the
   * nearest one in the chain of {@code ex} (Spark's "while writing rows to s3a://…") is added.
   */
  static String storageCause(Throwable storage, Throwable ex) {
    String m = storage.getMessage() == null ? storage.toString() : firstLine(storage.getMessage());
    m = m.replaceAll("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ", "");
    int repeated = m.indexOf("   ");
    if (repeated > 0) {
      m = m.substring(0, repeated);
    }
    m = trimEnd(m);
    if (m.isEmpty()) {
      m = storage.getClass().getSimpleName();
    }
    if (m.length() > MAX_CAUSE) {
      m = m.substring(0, MAX_CAUSE) + "…";
    }
    if (!URI.matcher(m).find()) {
      String where = nearestUri(storage, ex);
      if (where != null) {
        m = m + " (" + where + ")";
      }
    }
    return m;
  }

  private static final java.util.regex.Pattern URI =
      java.util.regex.Pattern.compile("\\b[a-z][a-z0-9+.-]*://[^\\s\\]\\[)(,;\"']+");

  /** The first URI in the causes of {@code storage}, else in what wraps it, nearest first. */
  private static String nearestUri(Throwable storage, Throwable ex) {
    List<Throwable> chain = causes(ex);
    int at = chain.indexOf(storage);
    List<Throwable> order = new ArrayList<>(chain.subList(at + 1, chain.size()));
    for (int i = at - 1; i >= 0; i--) {
      order.add(chain.get(i));
    }
    for (Throwable t : order) {
      if (t.getMessage() != null) {
        java.util.regex.Matcher u = URI.matcher(t.getMessage());
        if (u.find()) {
          return trimEnd(u.group());
        }
      }
    }
    return null;
  }

  /** {@code ex} and its causes, outermost first, each once (a cause chain may loop). */
  private static List<Throwable> causes(Throwable ex) {
    List<Throwable> chain = new ArrayList<>();
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = ex; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String trimEnd(String s) {
    String m = s.strip();
    while (m.endsWith(":") || m.endsWith(".")) {
      m = m.substring(0, m.length() - 1).strip();
    }
    return m;
  }

  private static final int MAX_CAUSE = 400;

  /**
   * Stack traces of known failures (storage, bad input, settings) only when asked for: {@code
   * METALS_LAKE_DEBUG=1} or {@code -Dmetalslake.debug=true}. Unexpected ones always have theirs.
   */
  static boolean debug() {
    String v = System.getProperty("metalslake.debug", System.getenv("METALS_LAKE_DEBUG"));
    return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
