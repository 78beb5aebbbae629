package org.metalslake.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.metalslake.config.Settings;
import org.metalslake.ingest.Intake;
import org.metalslake.ops.IngestedFiles;
import org.metalslake.ops.RejectedFiles;
import org.metalslake.sources.Formats;

/**
 * Scan: the input files found under the given paths, each recognised by its format, the ones
 * already ingested left out (a file is hashed only when its path, size or modification time is
 * new), the ones no format reads rejected with a reason.
 */
final class ScanStage extends Stage {
  private final Formats formats;

  ScanStage(StageContext stage, Formats formats) {
    super(stage);
    this.formats = formats;
  }

  Intake.Scan run(List<String> paths, boolean force) {
    progress.start("scan", "looking for input files in " + String.join(", ", paths));
    Intake intake =
        new Intake(
            this::spark,
            lake::hadoopConf,
            formats,
            settings.includePatterns(),
            settings.encodings());
    IngestedFiles.Known known = force ? IngestedFiles.Known.none() : IngestedFiles.known(lake);
    Intake.Scan scan = intake.scan(paths, known, progress::warn);
    progress.done(
        "scan",
        String.format(
            Locale.ROOT,
            "%d files, %d new, %d already ingested%s",
            scan.seen(),
            scan.fresh().size(),
            scan.repeats(),
            scan.rejected().isEmpty() ? "" : ", " + scan.rejected().size() + " rejected"));
    for (String line : RejectedFiles.consoleLines(scan.rejected())) {
      progress.warn("rejected " + line);
    }
    return scan;
  }

  /** Stops the run when files were rejected and the settings say to fail on them. */
  void refuseRejected(Intake.Scan scan) {
    if (!scan.rejected().isEmpty() && settings.failOnRejectedFiles()) {
      throw new PipelineException(
          scan.rejected().size()
              + " file(s) rejected and "
              + Settings.ON_REJECTED_FILE
              + " = fail: "
              + scan.rejected().stream()
                  .map(r -> r.path() + " (" + r.reason() + ")")
                  .collect(Collectors.joining("; "))
              + ". Nothing was committed.");
    }
  }
}
