package org.metalslake.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.metalslake.config.Settings;
import org.metalslake.ingest.Intake;
import org.metalslake.ops.IngestedFiles;
import org.metalslake.ops.RejectedFile;
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
    String shown = null;
    for (RejectedFile r : scan.rejected()) {
      String line = consoleReason(r, shown);
      progress.warn("rejected " + r.path() + ": " + line);
      int k = r.reason().indexOf(KNOWN);
      shown = k < 0 ? shown : r.reason().substring(k);
    }
    return scan;
  }

  private static final String KNOWN = "; known formats: ";

  /**
   * A rejection's reason as the console shows it after the path: the file is not named a second
   * time, and the list of known formats, a few thousand characters, is given once (ops.runs and the
   * run report keep every reason whole).
   */
  static String consoleReason(RejectedFile r, String formatsShown) {
    String reason = r.reason().replace(" in " + r.path() + ": ", " ");
    int k = reason.indexOf(KNOWN);
    if (k >= 0 && reason.substring(k).equals(formatsShown)) {
      reason = reason.substring(0, k) + "; known formats: as above";
    }
    return reason;
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
