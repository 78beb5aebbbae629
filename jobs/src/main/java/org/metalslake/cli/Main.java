package org.metalslake.cli;

import io.delta.exceptions.DeltaConcurrentModificationException;
import java.io.PrintWriter;
import org.metalslake.pipeline.PipelineException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point, the same locally and under spark-submit. Exit codes: 0 success, 1 the run
 * failed (unreadable input under {@code ingest.on-rejected-file = fail}, too much bad data, error),
 * 2 usage error, 65 some files were rejected (every other file was ingested; fix or remove them),
 * 75 another run changed the lake at the same time (retry).
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
      GenerateCommand.class,
      CompareCommand.class
    })
public final class Main implements Runnable {
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  /** Some files were rejected, every other file ingested (sysexits' EX_DATAERR). */
  public static final int EXIT_REJECTED = 65;

  public static final int EXIT_RETRY = 75;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "a command is required: run, ingest, sql, tables, history, restore, generate");
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
          Throwable root = ex;
          while (root.getCause() != null
              && !(root instanceof PipelineException)
              && !(root instanceof DeltaConcurrentModificationException)) {
            root = root.getCause();
          }
          if (ex instanceof DeltaConcurrentModificationException
              || root instanceof DeltaConcurrentModificationException) {
            err.println(
                "metals-lake: another run changed the lake at the same time; nothing of this run"
                    + " was half-written. Run it again. ("
                    + ex.getClass().getSimpleName()
                    + ")");
            err.flush();
            return EXIT_RETRY;
          }
          String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
          if (ex instanceof IllegalArgumentException
              || ex instanceof PipelineException
              || ex instanceof java.io.UncheckedIOException) {
            err.println("metals-lake: " + msg);
          } else {
            err.println("metals-lake: failed: " + firstLine(msg));
            ex.printStackTrace(err);
          }
          err.flush();
          return EXIT_FAILED;
        });
    return cli.execute(args);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
