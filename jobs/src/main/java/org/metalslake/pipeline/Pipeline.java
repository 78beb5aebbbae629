package org.metalslake.pipeline;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.ingest.Intake;
import org.metalslake.ingest.LandedFile;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.IngestedFiles;
import org.metalslake.ops.Progress;
import org.metalslake.ops.RejectedFile;
import org.metalslake.ops.RejectedFiles;
import org.metalslake.ops.RunLog;
import org.metalslake.ref.RefData;
import org.metalslake.sources.Formats;
import org.metalslake.sources.SourceFormat;
import org.metalslake.storage.Conflicts;
import org.metalslake.storage.Lake;
import org.metalslake.storage.LazySession;
import org.metalslake.storage.TableId;

/**
 * The whole flow of a run: landing files → bronze → silver (+ quarantine) → gold, with the file
 * bookkeeping that makes runs incremental and idempotent. Every write is a single Delta commit that
 * can be repeated: bronze and quarantine are replaced per file, silver is merged on its key, gold
 * is synced to the transform of silver; a run killed half-way is completed by the next one, since
 * its files are marked as ingested only after gold.
 */
public final class Pipeline {
  public static final List<String> DATASETS =
      List.of("production", "trade", "capacity", "prices", "stocks");

  /** Status of a run that ingested every file it could and rejected some. */
  public static final String PARTIAL = "partial";

  /** A run that failed: nothing of it half-written, its files not marked as ingested. */
  public static final String FAILED = "failed";

  /**
   * A run that failed because another run committed to the same table at the same time, more often
   * than a run writes a table again: run it again (exit 75).
   */
  public static final String CONFLICT = "conflict";

  /** The ops.runs status of a run (or restore) that failed with {@code e}. */
  static String failedStatus(Throwable e) {
    return Conflicts.concurrentCommit(e) ? CONFLICT : FAILED;
  }

  private final StageContext stage;
  private final Lake lake;
  private final Formats formats;
  private final Progress progress;
  private Result last;

  public Pipeline(SparkSession spark, Settings settings, Progress progress) {
    this(spark, settings, Formats.all(), progress);
  }

  public Pipeline(SparkSession spark, Settings settings, Formats formats, Progress progress) {
    this(LazySession.started(spark), settings, formats, progress);
  }

  /**
   * A pipeline whose session starts when the run first needs it: a run that finds nothing to do
   * answers from the landing zone's listing and the Delta log, and starts none.
   */
  public Pipeline(LazySession session, Settings settings, Progress progress) {
    this(session, settings, Formats.all(), progress);
  }

  private Pipeline(LazySession session, Settings settings, Formats formats, Progress progress) {
    this.lake = new Lake(session, settings);
    this.stage = new StageContext(settings, lake, progress);
    this.formats = formats;
    this.progress = progress;
  }

  public Lake lake() {
    return lake;
  }

  /**
   * What a run did; {@code rejected} are the files it could not ingest, with their reasons; {@code
   * message} the failure's or the rejected files' summary (null when there is none); {@code tables}
   * the rows in and out of each table the run wrote (so far, when it failed).
   */
  public record Result(
      String runId,
      String status,
      List<FileCount> files,
      List<RejectedFile> rejected,
      double seconds,
      String message,
      List<Progress.TableCount> tables) {}

  public static String newRunId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC)
            .format(Instant.now())
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Ingests new files under {@code paths} and refreshes silver and gold; logged in ops.runs. */
  public Result run(String job, String args, List<String> paths, boolean force) {
    return run(newRunId(), job, args, paths, force);
  }

  /**
   * {@link #run(String, String, List, boolean)} under a run id the caller chose (a scheduler's, to
   * ask {@code status --run ID} afterwards). A failed run throws; {@link #last()} then holds what
   * it did, with status {@link #FAILED} or {@link #CONFLICT}.
   */
  public Result run(String runId, String job, String args, List<String> paths, boolean force) {
    RunLog.Run log =
        new RunLog.Run(lake, runId, job, args, new Timestamp(System.currentTimeMillis()));
    List<FileCount> counts = new ArrayList<>();
    List<RejectedFile> rejected = new ArrayList<>();
    try {
      String status;
      try (BatchSizing sizing = new BatchSizing(stage::spark, stage.settings())) {
        status = medallion(log.runId(), paths, force, counts, rejected, sizing);
      }
      String message = rejected.isEmpty() ? null : RejectedFiles.summary(rejected);
      status = rejected.isEmpty() ? status : PARTIAL;
      log.end(status, message, counts, rejected, progress.tables());
      last = result(log.runId(), status, counts, rejected, message);
      return last;
    } catch (RuntimeException e) {
      String status = failedStatus(e);
      last = result(log.runId(), status, counts, rejected, e.getMessage());
      try {
        log.end(status, e.getMessage(), counts, rejected, progress.tables());
      } catch (RuntimeException logFailure) {
        e.addSuppressed(logFailure);
      }
      throw e;
    } finally {
      progress.stopBeating();
    }
  }

  /**
   * What a run over {@code paths} would ingest, writing nothing: every file found with its format,
   * the ones already ingested (left out unless {@code force}) and the ones rejected with a reason.
   * The files are read as far as a run's scan reads them (fingerprint and header).
   */
  public Intake.Scan dryRun(List<String> paths, boolean force) {
    return new ScanStage(stage, formats).run(paths, force);
  }

  /** What the last {@link #run} did, also when it failed; null before the first. */
  public Result last() {
    return last;
  }

  private Result result(
      String runId,
      String status,
      List<FileCount> counts,
      List<RejectedFile> rejected,
      String message) {
    return new Result(
        runId,
        status,
        List.copyOf(counts),
        List.copyOf(rejected),
        progress.elapsedSeconds(),
        message,
        List.copyOf(progress.tables()));
  }

  /**
   * scan → ref → bronze → silver → gold, then the files marked as ingested: a run killed before the
   * end leaves them unmarked, and the next run repeats the (idempotent) work. Returns the status.
   */
  private String medallion(
      String runId,
      List<String> paths,
      boolean force,
      List<FileCount> counts,
      List<RejectedFile> rejected,
      BatchSizing sizing) {
    ScanStage scanStage = new ScanStage(stage, formats);
    Intake.Scan scan = scanStage.run(paths, force);
    rejected.addAll(scan.rejected());
    scanStage.refuseRejected(scan);
    GoldStage gold = new GoldStage(stage);
    try (RefStage ref = new RefStage(stage)) {
      if (scan.fresh().isEmpty()) {
        ref.write();
        gold.run(ref::data, SilverStage.Changes.NONE);
        progress.info("nothing new to ingest");
        return "nothing_new";
      }
      ref.writeInBackground();
      Timestamp now = new Timestamp(System.currentTimeMillis());
      sizing.sizeFor(scan.fresh(), progress);
      BronzeStage.Batch bronze = new BronzeStage(stage).run(scan.fresh(), runId, now, ref.data());
      SilverStage.Changes silver;
      try {
        silver = new SilverStage(stage).run(bronze, ref.data(), now, counts);
      } finally {
        bronze.release();
      }
      ref.join();
      sizing.sizeForGold(gold.inputBytes(silver), progress);
      gold.run(ref::data, silver);
      IngestedFiles.mark(lake, bronze.ingested(), runId, now);
    }
    if (lake.catalog().usesMetastore()) {
      lake.catalog().registerAll();
    }
    return "succeeded";
  }

  /**
   * Reads and conforms files without writing anything: the facts and quarantine rows each silver
   * table would get (before duplicate checks), and the files rejected. For checking files.
   */
  public static Conformed conformFiles(
      SparkSession spark, Settings settings, List<String> paths, RefData ref) {
    Intake intake =
        new Intake(spark, Formats.all(), settings.includePatterns(), settings.encodings());
    Intake.Scan scan = intake.scan(paths, IngestedFiles.Known.none(), w -> {});
    Map<SourceFormat, Dataset<Row>> bronze =
        intake.bronze(scan.fresh(), "check", new Timestamp(System.currentTimeMillis()));
    return new Conformed(
        scan.fresh(), scan.rejected(), bronze, SilverStage.conformAll(bronze, ref, null));
  }

  /**
   * {@link #conformFiles(SparkSession, Settings, List, RefData)} with the reference data a run
   * would use (the settings' reference folder, content factors and quantity ceilings).
   */
  public static Conformed conformFiles(SparkSession spark, Settings settings, List<String> paths) {
    RefData ref =
        RefData.load(spark, settings.refDir())
            .withContentFactors(settings.contentFactors())
            .withQuantityCeilings(settings.maxQuantityT(), settings.maxQuantityTByMetal());
    return conformFiles(spark, settings, paths, ref);
  }

  /** What {@link #conformFiles} found. */
  public record Conformed(
      List<LandedFile> files,
      List<RejectedFile> rejected,
      Map<SourceFormat, Dataset<Row>> bronze,
      Map<TableId, Dataset<Row>> facts) {}
}
