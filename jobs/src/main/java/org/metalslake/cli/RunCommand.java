package org.metalslake.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.metalslake.config.Settings;
import org.metalslake.ops.Progress;
import org.metalslake.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: ingest every new file of the landing zone, then refresh silver and gold. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Ingest new files from the landing zone (default: the bundled samples) → gold.")
final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--force", description = "Read files again even if already ingested")
  boolean force;

  @Mixin RunSupport.Reporting reporting;

  @Option(
      names = "--dry-run",
      description =
          "Print what the run would do (files, formats, new or already ingested, rejected) and"
              + " write nothing")
  boolean dryRun;

  @Override
  public Integer call() {
    Settings settings = common.settings();
    if (dryRun) {
      return RunSupport.dryRun(settings, List.of(settings.landing()), force);
    }
    return RunSupport.ingest(settings, "run", List.of(settings.landing()), force, reporting);
  }
}

/** Shared by run and ingest. */
final class RunSupport {
  private RunSupport() {}

  /** {@code --run-id} and {@code --report}, of run and ingest. */
  static final class Reporting {
    @Option(
        names = "--run-id",
        paramLabel = "ID",
        description =
            "Run id to log the run under in ops.runs (default: time and a random suffix), e.g. a"
                + " scheduler's, for `status --run ID`; a retry may use the same id")
    String runId;

    @Option(
        names = "--report",
        paramLabel = "FILE",
        description =
            "Write a JSON report of the run (status, exit code, files, records, tables,"
                + " rejected files, seconds) to this local file, also when the run fails")
    java.nio.file.Path report;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec command;

    /** The run id to use: the one given, checked (a usage error, exit 2), or a new one. */
    String runId() {
      if (runId == null) {
        return Pipeline.newRunId();
      }
      if (!RUN_ID.matcher(runId).matches()) {
        throw new picocli.CommandLine.ParameterException(
            command.commandLine(),
            "--run-id '"
                + runId
                + "': letters, digits and . _ : + - only, at most 128, starting with a letter or"
                + " digit");
      }
      return runId;
    }
  }

  /** Letters, digits and {@code . _ : + -}, as schedulers' run ids are (128 at most). */
  private static final java.util.regex.Pattern RUN_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}");

  static int ingest(
      Settings settings, String job, List<String> paths, boolean force, Reporting reporting) {
    String runId = reporting.runId();
    Progress progress = new Progress();
    progress.info("metals-lake " + job + ": lake " + settings.lakeRoot());
    Pipeline pipeline = new Pipeline(Sessions.lazy(settings), settings, progress);
    Pipeline.Result r;
    try {
      r = pipeline.run(runId, job, String.join(" ", commandLine(job, paths, force)), paths, force);
    } catch (RuntimeException e) {
      if (reporting.report != null && pipeline.last() != null) {
        try {
          Pipeline.Result failed = pipeline.last();
          RunReport.write(
              RunReport.of(failed, job, settings.lakeRoot(), Main.exitCode(failed.status())),
              reporting.report);
        } catch (RuntimeException reportFailure) {
          e.addSuppressed(reportFailure);
        }
      }
      throw e;
    }
    int code = Main.exitCode(r.status());
    if (reporting.report != null) {
      RunReport.write(RunReport.of(r, job, settings.lakeRoot(), code), reporting.report);
    }
    progress.info(
        String.format(
            java.util.Locale.ROOT,
            "run %s %s in %.1f s%n%s",
            r.runId(),
            r.status().replace('_', ' '),
            r.seconds(),
            progress.summary()));
    long records = r.files().stream().mapToLong(f -> f.records()).sum();
    if (records > 0) {
      progress.info(
          String.format(
              java.util.Locale.ROOT,
              "%,d input records in %.1f s: %,.0f records/s",
              records,
              r.seconds(),
              records / r.seconds()));
    }
    if (!r.rejected().isEmpty()) {
      // One line per rejected file on stderr, where a scheduler's log shows it.
      for (String line : org.metalslake.ops.RejectedFiles.consoleLines(r.rejected())) {
        System.err.println("metals-lake: rejected " + line);
      }
      System.err.println("metals-lake: " + org.metalslake.ops.RejectedFiles.summary(r.rejected()));
    }
    return code;
  }

  /**
   * {@code run --dry-run}: the scan of a run, printed, nothing written. Exits as the run would on
   * its files: 65 when some would be rejected, else 0.
   */
  static int dryRun(Settings settings, List<String> paths, boolean force) {
    Progress progress = new Progress();
    progress.info(
        "metals-lake run --dry-run: lake " + settings.lakeRoot() + ", nothing is written");
    org.metalslake.ingest.Intake.Scan scan =
        new Pipeline(Sessions.lazy(settings), settings, progress).dryRun(paths, force);
    java.io.PrintStream out = System.out;
    for (org.metalslake.ingest.LandedFile f : scan.fresh()) {
      out.printf(
          java.util.Locale.ROOT,
          "new       %-28s %,12d bytes  %s%n",
          f.format().name(),
          f.size(),
          f.path());
    }
    for (org.metalslake.ingest.Intake.Skipped f : scan.skipped()) {
      out.printf(
          java.util.Locale.ROOT,
          "skipped   %-28s %12s        %s (%s)%n",
          "",
          "",
          f.path(),
          f.why());
    }
    List<String> why = org.metalslake.ops.RejectedFiles.consoleLines(scan.rejected());
    for (int i = 0; i < why.size(); i++) {
      out.printf(
          java.util.Locale.ROOT,
          "rejected  %-28s %,12d bytes  %s%n",
          "",
          scan.rejected().get(i).size(),
          why.get(i));
    }
    out.printf(
        java.util.Locale.ROOT,
        "%d files: %d new%s, %d already ingested, %d rejected; nothing written%n",
        scan.seen(),
        scan.fresh().size(),
        scan.fresh().isEmpty()
            ? ""
            : org.metalslake.ingest.Intake.byFormat(scan.fresh()).entrySet().stream()
                .map(e -> e.getValue().size() + " " + e.getKey().name())
                .collect(java.util.stream.Collectors.joining(", ", " (", ")")),
        scan.repeats(),
        scan.rejected().size());
    return scan.rejected().isEmpty() ? 0 : Main.EXIT_REJECTED;
  }

  static List<String> commandLine(String job, List<String> paths, boolean force) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    out.add(job);
    out.addAll(paths);
    if (force) {
      out.add("--force");
    }
    return out;
  }
}
