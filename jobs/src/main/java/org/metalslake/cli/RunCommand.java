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

  @Override
  public Integer call() {
    Settings settings = common.settings();
    return RunSupport.ingest(settings, "run", List.of(settings.landing()), force);
  }
}

/** Shared by run and ingest. */
final class RunSupport {
  private RunSupport() {}

  static int ingest(Settings settings, String job, List<String> paths, boolean force) {
    Progress progress = new Progress();
    progress.info("metals-lake " + job + ": lake " + settings.lakeRoot());
    Pipeline pipeline = new Pipeline(Sessions.lazy(settings), settings, progress);
    Pipeline.Result r =
        pipeline.run(job, String.join(" ", commandLine(job, paths, force)), paths, force);
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
      for (org.metalslake.ops.RejectedFile f : r.rejected()) {
        System.err.println("metals-lake: rejected " + f.path() + ": " + f.reason());
      }
      System.err.println("metals-lake: " + org.metalslake.ops.RejectedFiles.summary(r.rejected()));
      return Main.EXIT_REJECTED;
    }
    return 0;
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
