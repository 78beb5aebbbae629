package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.metalslake.config.Settings;
import org.metalslake.conform.Duplicates;
import org.metalslake.conform.Outcome;
import org.metalslake.conform.Reasons;
import org.metalslake.conform.SilverTable;
import org.metalslake.conform.Vintages;
import org.metalslake.gold.GoldTable;
import org.metalslake.ingest.Bronze;
import org.metalslake.ingest.Intake;
import org.metalslake.ingest.LandedFile;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.IngestedFiles;
import org.metalslake.ops.Progress;
import org.metalslake.ops.Progress.TableCount;
import org.metalslake.ops.RejectedFile;
import org.metalslake.ops.RejectedFiles;
import org.metalslake.ops.RunLog;
import org.metalslake.ref.RefData;
import org.metalslake.sources.Formats;
import org.metalslake.sources.SourceFormat;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The whole flow of a run: landing files → bronze → silver (+ quarantine) → gold, with the file
 * bookkeeping that makes runs incremental and idempotent. Every write is a single Delta commit that
 * can be repeated: bronze and quarantine are replaced per file, silver is merged on its key, gold
 * is rebuilt from silver; a run killed half-way is completed by the next one.
 */
public final class Pipeline {
  public static final List<String> DATASETS =
      List.of("production", "trade", "capacity", "prices", "stocks");

  static final StructType QUARANTINE_SCHEMA =
      StructType.fromDDL(
          "_batch_id STRING, _file_id STRING, _source_file STRING, _line BIGINT, _format STRING,"
              + " target_table STRING, severity STRING, reason STRING,"
              + " record MAP<STRING, STRING>, _quarantined_at TIMESTAMP");

  static final TableDoc QUARANTINE_DOC =
      TableDoc.of(
              "Input records that did not become silver facts, each with the reason; severity"
                  + " 'skipped' marks records outside the product's scope")
          .column("_source_file", "File the record came from")
          .column("_line", "Physical line in that file (the header is line 1)")
          .column("target_table", "Silver table the record was meant for")
          .column("severity", "error (bad input) or skipped (outside scope, counted not lost)")
          .column("reason", "Why the record was quarantined; several reasons joined by '; '")
          .column("record", "The record as read: source column → raw value");

  private final SparkSession spark;
  private final Settings settings;
  private final Lake lake;
  private final Formats formats;
  private final Progress progress;

  public Pipeline(SparkSession spark, Settings settings, Progress progress) {
    this(spark, settings, Formats.all(), progress);
  }

  public Pipeline(SparkSession spark, Settings settings, Formats formats, Progress progress) {
    this.spark = spark;
    this.settings = settings;
    this.lake = new Lake(spark, settings);
    this.formats = formats;
    this.progress = progress;
  }

  public Lake lake() {
    return lake;
  }

  /** Status of a run that ingested every file it could and rejected some. */
  public static final String PARTIAL = "partial";

  /** What a run did; {@code rejected} are the files it could not ingest, with their reasons. */
  public record Result(
      String runId,
      String status,
      List<FileCount> files,
      List<RejectedFile> rejected,
      double seconds) {}

  private final List<RejectedFile> rejected = new ArrayList<>();

  public static String newRunId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC)
            .format(Instant.now())
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Ingests new files under {@code paths} and refreshes silver and gold. */
  public Result run(String job, String args, List<String> paths, boolean force) {
    String runId = newRunId();
    Timestamp started = new Timestamp(System.currentTimeMillis());
    List<FileCount> fileCounts = new ArrayList<>();
    rejected.clear();
    try {
      Result r = doRun(runId, started, paths, force, fileCounts);
      RejectedFiles.record(lake, runId, r.rejected());
      RunLog.record(
          lake,
          runId,
          job,
          args,
          started,
          r.status(),
          r.rejected().isEmpty() ? null : RejectedFiles.summary(r.rejected()),
          r.files(),
          r.rejected(),
          progress.tables());
      return r;
    } catch (RuntimeException e) {
      try {
        RejectedFiles.record(lake, runId, rejected);
        RunLog.record(
            lake,
            runId,
            job,
            args,
            started,
            "failed",
            e.getMessage(),
            fileCounts,
            rejected,
            progress.tables());
      } catch (RuntimeException logFailure) {
        e.addSuppressed(logFailure);
      }
      throw e;
    } finally {
      if (refWritten != null) {
        // A failed run still lets the reference writes end before it returns (they are
        // idempotent; the next run skips what they finished).
        refWritten.handle((x, e) -> null).join();
        refWritten = null;
      }
      restoreSessionConf();
    }
  }

  private java.util.concurrent.CompletableFuture<Integer> refWritten;

  private Result doRun(
      String runId, Timestamp started, List<String> paths, boolean force, List<FileCount> counts) {
    // ---- scan
    progress.start("scan", "looking for input files in " + String.join(", ", paths));
    Intake.Scan scan = scan(paths, force);
    rejected.addAll(scan.rejected());
    progress.done(
        "scan",
        String.format(
            Locale.ROOT,
            "%d files, %d new, %d already ingested%s",
            scan.seen(),
            scan.fresh().size(),
            scan.repeats(),
            scan.rejected().isEmpty() ? "" : ", " + scan.rejected().size() + " rejected"));
    for (RejectedFile r : scan.rejected()) {
      progress.warn("rejected " + r.path() + ": " + r.reason());
    }
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

    // ---- reference data
    progress.start("ref", "loading reference data");
    RefData ref =
        RefData.load(spark, settings.refDir()).withContentFactors(settings.contentFactors());
    if (scan.fresh().isEmpty()) {
      progress.done("ref", writeRef(ref) + " reference tables updated");
      Set<TableId> changed = new HashSet<>();
      buildGold(ref, changed);
      progress.info("nothing new to ingest");
      return new Result(
          runId,
          rejected.isEmpty() ? "nothing_new" : PARTIAL,
          counts,
          List.copyOf(rejected),
          progress.elapsedSeconds());
    }
    // The ref.* tables are for readers of the lake; the run itself uses the CSVs just loaded. They
    // are written beside bronze and silver (small commits, mostly latency) and joined before gold.
    refWritten = Parallel.background(() -> writeRef(ref));
    progress.info("ref      reference tables written in the background");
    List<LandedFile> batch = scan.fresh();
    List<String> ids = batch.stream().map(LandedFile::fileId).toList();
    Timestamp now = new Timestamp(System.currentTimeMillis());
    sizedForBatch(batch);

    // ---- bronze: one table per format, one commit each, the tables written side by side
    Map<SourceFormat, List<LandedFile>> byFormat = Intake.byFormat(batch);
    Map<SourceFormat, Dataset<Row>> bronzeBatch = new LinkedHashMap<>();
    Map<String, Long> recordsPerFile = new HashMap<>();
    Map<TableId, Double> bronzeSeconds = new LinkedHashMap<>();
    progress.start(
        "bronze",
        byFormat.size() + " tables ← " + batch.size() + " files (" + byFormat.size() + " commits)");
    List<java.util.concurrent.Callable<BronzeWrite>> bronzeWrites = new ArrayList<>();
    for (Map.Entry<SourceFormat, List<LandedFile>> e : byFormat.entrySet()) {
      SourceFormat fmt = e.getKey();
      TableId table = fmt.bronzeTable();
      bronzeWrites.add(
          () -> {
            long t0 = System.nanoTime();
            Dataset<Row> parsed = Bronze.read(spark, fmt, e.getValue(), runId, now);
            List<String> tableIds = e.getValue().stream().map(LandedFile::fileId).toList();
            lake.replaceWhere(parsed, table, inList("_file_id", tableIds), Bronze.doc(fmt));
            double seconds = (System.nanoTime() - t0) / 1e9;
            progress.info(
                String.format(
                    Locale.ROOT,
                    "bronze   %s ← %d files written (%.1f s)",
                    table,
                    e.getValue().size(),
                    seconds));
            return new BronzeWrite(
                fmt, lake.read(table).filter(col("_file_id").isin(tableIds.toArray())), seconds);
          });
    }
    Dataset<Row> writtenIds = null;
    for (BronzeWrite w : Parallel.all(bronzeWrites)) {
      bronzeBatch.put(w.format(), w.rows());
      bronzeSeconds.put(w.format().bronzeTable(), w.seconds());
      Dataset<Row> ids1 = w.rows().select(col("_file_id"));
      writtenIds = writtenIds == null ? ids1 : writtenIds.union(ids1);
    }
    // Records per file as committed, for every bronze table in one job.
    for (Row r : writtenIds.groupBy("_file_id").count().collectAsList()) {
      recordsPerFile.put(r.getString(0), r.getLong(1));
    }
    long bronzeRecords = 0;
    for (Map.Entry<SourceFormat, List<LandedFile>> e : byFormat.entrySet()) {
      TableId table = e.getKey().bronzeTable();
      long total =
          e.getValue().stream().mapToLong(f -> recordsPerFile.getOrDefault(f.fileId(), 0L)).sum();
      bronzeRecords += total;
      progress.table(new TableCount(table.qualified(), total, total, 0L, bronzeSeconds.get(table)));
    }
    progress.done(
        "bronze",
        String.format(Locale.ROOT, "%,d records in %d tables", bronzeRecords, bronzeBatch.size()));

    for (Map.Entry<SourceFormat, Dataset<Row>> e : bronzeBatch.entrySet()) {
      e.getKey().warnings(e.getValue(), ref).forEach(progress::warn);
    }

    // ---- conform: reference formats (code lists) first, what they hold is used for the rest
    progress.start("silver", "conforming " + batch.size() + " files");
    Map<TableId, Dataset<Row>> factsByTable =
        conformAll(bronzeBatch, ref, lake.readIfExists(Tables.TRADE_COUNTRY_CODES).orElse(null));
    Map<TableId, Dataset<Row>> flagged = new LinkedHashMap<>();
    List<Dataset<Row>> cachedFacts = new ArrayList<>();
    Dataset<Row> outcome = null;
    for (Map.Entry<TableId, Dataset<Row>> e : factsByTable.entrySet()) {
      SilverTable st = SilverTable.of(e.getKey());
      // The raw record is only needed for quarantine rows; it is joined back from bronze
      // there, so the facts that are sorted, cached and counted stay narrow.
      Dataset<Row> facts =
          e.getValue()
              .withColumn("_target", lit(e.getKey().qualified()))
              .persist(StorageLevel.MEMORY_AND_DISK());
      cachedFacts.add(facts);
      Dataset<Row> f = Duplicates.flag(facts, st.key());
      flagged.put(e.getKey(), f);
      Dataset<Row> o = f.select("_file_id", "_line", "_severity", "_target");
      outcome = outcome == null ? o : o.unionByName(outcome);
    }
    Map<String, FileCount> perFile = reconcile(outcome, batch, recordsPerFile);
    // Per silver table: candidate rows, facts kept, rows quarantined (a record may feed several
    // tables, so these are rows of each table, not records).
    Map<String, long[]> perTable = new HashMap<>();
    for (Row r :
        outcome
            .groupBy("_target")
            .agg(
                count(lit(1)),
                sum(when(col("_severity").isNull(), 1).otherwise(0)),
                sum(when(col("_severity").isNotNull(), 1).otherwise(0)))
            .collectAsList()) {
      perTable.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3)});
    }
    progress.debug("silver", "conformed and counted");
    counts.addAll(perFile.values());
    long records = perFile.values().stream().mapToLong(FileCount::records).sum();
    long errors = perFile.values().stream().mapToLong(FileCount::errors).sum();
    long skipped = perFile.values().stream().mapToLong(FileCount::skipped).sum();
    for (FileCount c : perFile.values()) {
      if (!c.reconciles()) {
        throw new PipelineException(
            "counts do not reconcile for "
                + c.file()
                + ": "
                + c.records()
                + " records, "
                + c.toSilver()
                + " to silver, "
                + c.quarantined()
                + " quarantined");
      }
    }
    double share = records == 0 ? 0 : (double) errors / records;
    if (share > settings.maxQuarantineShare()) {
      FileCount worst =
          perFile.values().stream()
              .max(
                  (a, b) ->
                      Double.compare(
                          a.errors() / (double) Math.max(1, a.records()),
                          b.errors() / (double) Math.max(1, b.records())))
              .orElseThrow();
      throw new PipelineException(
          String.format(
              Locale.ROOT,
              "%.1f %% of the input records are bad, above the %.1f %% allowed"
                  + " (ingest.max-quarantine-share); worst file: %s with %d of %d records bad."
                  + " Nothing was committed to silver or gold.",
              share * 100,
              settings.maxQuarantineShare() * 100,
              worst.file(),
              worst.errors(),
              worst.records()));
    }

    // ---- quarantine and silver
    Dataset<Row> quarantine = null;
    for (Dataset<Row> f : flagged.values()) {
      Dataset<Row> q =
          f.filter(col("_reason").isNotNull())
              .select(
                  col("_batch_id"),
                  col("_file_id"),
                  col("_source_file"),
                  col("_line"),
                  col("_format"),
                  col("_target").as("target_table"),
                  col("_severity").as("severity"),
                  col("_reason").as("reason"),
                  lit(now).as("_quarantined_at"));
      quarantine = quarantine == null ? q : quarantine.unionByName(q);
    }
    quarantine = withRecords(quarantine, bronzeBatch);
    lake.replaceWhere(quarantine, Tables.QUARANTINE, inList("_file_id", ids), QUARANTINE_DOC);
    progress.debug("silver", "quarantine written");

    Dataset<Row> order = fileOrder(batch);
    Set<TableId> changed = new HashSet<>();
    Dataset<Row> vintages = null;
    // Vintages are kept for publications that revise their figures release by release (USGS);
    // a batch without such files does no vintage work at all.
    List<String> vintageFormats =
        byFormat.keySet().stream()
            .filter(SourceFormat::keepsVintages)
            .map(SourceFormat::name)
            .toList();
    for (Map.Entry<TableId, Dataset<Row>> e : flagged.entrySet()) {
      SilverTable st = SilverTable.of(e.getKey());
      Dataset<Row> ordered =
          e.getValue()
              .filter(col("_reason").isNull())
              .join(org.apache.spark.sql.functions.broadcast(order), "_file_id");
      Dataset<Row> v =
          vintageFormats.isEmpty()
              ? null
              : Vintages.of(
                  e.getKey(), ordered.filter(col("_format").isin(vintageFormats.toArray())));
      if (v != null) {
        vintages = vintages == null ? v : vintages.unionByName(v);
      }
      Dataset<Row> good =
          latestPerKey(ordered, st.key()).drop("__file_order", "_reason", "_severity", "_target");
      lake.merge(good, e.getKey(), st.key(), st.doc());
      changed.add(e.getKey());
      long[] c = perTable.getOrDefault(e.getKey().qualified(), new long[3]);
      progress.table(new TableCount(e.getKey().qualified(), c[0], c[1], c[2], 0));
    }
    // The released figures of the batch, computed once (few: one row per figure and release).
    // Most batches carry none (trade files, generic files): no vintage table then.
    Dataset<Row> released = vintages == null ? null : vintages.localCheckpoint(true);
    if (released != null && !released.isEmpty()) {
      // Every release's value, each figure once per release (the latest file of a release wins).
      lake.merge(
          latestPerKey(released, Vintages.KEY).drop("__file_order", "_file_id", "_line"),
          Tables.VINTAGES,
          Vintages.KEY,
          Vintages.DOC);
      changed.add(Tables.VINTAGES);
    }
    progress.debug("silver", "facts merged");
    cachedFacts.forEach(Dataset::unpersist);
    double silverS =
        progress.done(
            "silver",
            String.format(
                Locale.ROOT,
                "%,d records: %,d to silver, %,d quarantined (%,d errors, %,d skipped as out of"
                    + " scope)",
                records,
                records - errors - skipped,
                errors + skipped,
                errors,
                skipped));
    replaceSeconds(silverS);

    int refChanged = Parallel.join(refWritten);
    progress.info("ref      " + refChanged + " reference tables updated");

    // ---- gold, then the files are marked as ingested: a run killed before this point leaves
    // them unmarked, and the next run repeats the (idempotent) work up to gold.
    buildGold(ref, changed);
    markIngested(batch, recordsPerFile, runId, now);
    if (lake.usesMetastore()) {
      lake.registerAll();
    }
    return new Result(
        runId,
        rejected.isEmpty() ? "succeeded" : PARTIAL,
        counts,
        List.copyOf(rejected),
        progress.elapsedSeconds());
  }

  /** One format's bronze rows of this batch as committed, and the seconds the write took. */
  private record BronzeWrite(SourceFormat format, Dataset<Row> rows, double seconds) {}

  private final Map<String, String> sessionConfBefore = new LinkedHashMap<>();

  /**
   * Small batches run on Spark's interpreted expressions: generating and compiling code for the
   * conform and gold plans costs seconds per plan, which a few thousand records never earn back.
   * Keys the session was given explicitly are left alone; {@link #restoreSessionConf} puts the
   * previous values back when the run ends.
   */
  private void sizedForBatch(List<LandedFile> batch) {
    long bytes = batch.stream().mapToLong(LandedFile::size).sum();
    if (bytes >= settings.interpretedBelowBytes()) {
      return;
    }
    // And as many shuffle partitions as cores: every task of a small shuffle is fixed cost.
    Map<String, String> small =
        Map.of(
            "spark.sql.codegen.wholeStage", "false",
            "spark.sql.codegen.factoryMode", "NO_CODEGEN",
            "spark.sql.shuffle.partitions",
                String.valueOf(Math.max(1, spark.sparkContext().defaultParallelism())));
    for (Map.Entry<String, String> e : small.entrySet()) {
      if (!settings.explicitSparkConf(e.getKey())) {
        sessionConfBefore.put(e.getKey(), spark.conf().get(e.getKey(), null));
        spark.conf().set(e.getKey(), e.getValue());
      }
    }
    progress.info(
        String.format(
            Locale.ROOT,
            "run      %,d bytes of new input: interpreted expressions, %s shuffle partitions",
            bytes,
            spark.conf().get("spark.sql.shuffle.partitions")));
  }

  private void restoreSessionConf() {
    for (Map.Entry<String, String> e : sessionConfBefore.entrySet()) {
      if (e.getValue() == null) {
        spark.conf().unset(e.getKey());
      } else {
        spark.conf().set(e.getKey(), e.getValue());
      }
    }
    sessionConfBefore.clear();
  }

  private Intake.Scan scan(List<String> paths, boolean force) {
    Intake intake = new Intake(spark, formats, settings.includePatterns(), settings.encodings());
    IngestedFiles.Known known = force ? IngestedFiles.Known.none() : IngestedFiles.known(lake);
    return intake.scan(paths, known, progress::warn);
  }

  /**
   * Every format's bronze rows conformed to facts per silver table. Reference formats (code lists)
   * go first: the other formats see the code lists that landed, in this batch (its good facts) or
   * earlier ({@code earlierCodes}, silver.trade_country_codes; null when none), each the authority
   * for its release.
   */
  public static Map<TableId, Dataset<Row>> conformAll(
      Map<SourceFormat, Dataset<Row>> bronzeByFormat, RefData ref, Dataset<Row> earlierCodes) {
    Map<TableId, Dataset<Row>> facts = new LinkedHashMap<>();
    List<SourceFormat> order = new ArrayList<>(bronzeByFormat.keySet());
    order.sort((a, b) -> Boolean.compare(b.reference(), a.reference()));
    RefData used = ref;
    boolean referencesDone = false;
    for (SourceFormat fmt : order) {
      if (!fmt.reference() && !referencesDone) {
        used = withLandedReferences(ref, facts, earlierCodes);
        referencesDone = true;
      }
      Dataset<Row> bronze = bronzeByFormat.get(fmt);
      for (Map.Entry<TableId, Dataset<Row>> e : fmt.conform(bronze, used).entrySet()) {
        facts.merge(e.getKey(), e.getValue(), Dataset::unionByName);
      }
    }
    return facts;
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
    return new Conformed(scan.fresh(), scan.rejected(), bronze, conformAll(bronze, ref, null));
  }

  /** What {@link #conformFiles} found. */
  public record Conformed(
      List<LandedFile> files,
      List<RejectedFile> rejected,
      Map<SourceFormat, Dataset<Row>> bronze,
      Map<TableId, Dataset<Row>> facts) {}

  private static RefData withLandedReferences(
      RefData ref, Map<TableId, Dataset<Row>> facts, Dataset<Row> earlierCodes) {
    Dataset<Row> codes =
        earlierCodes == null
            ? null
            : earlierCodes.select("source", "release", "code", "iso3", "kind");
    Dataset<Row> landed = facts.get(Tables.TRADE_COUNTRY_CODES);
    if (landed != null) {
      Dataset<Row> good =
          landed
              .filter(col("_reason").isNull())
              .select("source", "release", "code", "iso3", "kind");
      codes = codes == null ? good : codes.unionByName(good);
    }
    return codes == null ? ref : ref.withReleaseTradeCodes(codes);
  }

  /**
   * Quarantine rows with the raw record of each, read again from bronze for just those records. The
   * quarantine rows (the bad ones only: few beside the batch) are materialised once, so each
   * format's join sees a small table instead of the whole conform plan again; a format without bad
   * rows is not read at all, and each format's rows are broadcast to its bronze table when they are
   * few.
   */
  private static Dataset<Row> withRecords(
      Dataset<Row> quarantine, Map<SourceFormat, Dataset<Row>> bronzeByFormat) {
    Dataset<Row> bad = quarantine.localCheckpoint(true);
    Map<String, Long> perFormat = new HashMap<>();
    for (Row r : bad.groupBy("_format").count().collectAsList()) {
      perFormat.put(r.getString(0), r.getLong(1));
    }
    Column[] columns =
        java.util.Arrays.stream(QUARANTINE_SCHEMA.fieldNames())
            .map(c -> col(c))
            .toArray(Column[]::new);
    Dataset<Row> out =
        bad.limit(0).withColumn("record", lit(null).cast("map<string,string>")).select(columns);
    for (Map.Entry<SourceFormat, Dataset<Row>> e : bronzeByFormat.entrySet()) {
      long n = perFormat.getOrDefault(e.getKey().name(), 0L);
      if (n == 0) {
        continue;
      }
      Dataset<Row> b = e.getValue();
      Dataset<Row> records =
          b.select(
              col("_file_id").as("__rf"), col("_line").as("__rl"), Outcome.record(b).as("record"));
      Dataset<Row> rows = bad.filter(col("_format").equalTo(e.getKey().name()));
      if (n <= Duplicates.BROADCAST_LIMIT) {
        rows = org.apache.spark.sql.functions.broadcast(rows);
      }
      Dataset<Row> joined =
          records
              .join(
                  rows,
                  col("_file_id").equalTo(col("__rf")).and(col("_line").equalTo(col("__rl"))),
                  "inner")
              .select(columns);
      out = out.unionByName(joined);
    }
    return out;
  }

  /**
   * The latest fact per key when files of one batch share keys (a later release replaces an earlier
   * one: newest release, then latest file, then latest line). Inside a file a key is unique by now
   * (duplicates are quarantined), so only keys seen more than once come from several files: they
   * are found with an aggregation over the key columns and only they are resolved.
   */
  static Dataset<Row> latestPerKey(Dataset<Row> good, List<String> key) {
    // The newest release first (USGS MCS2024 over MCS2022 whatever the files' order), then the
    // latest file and line.
    Column release =
        java.util.Arrays.asList(good.columns()).contains("release")
            ? org.apache.spark.sql.functions.coalesce(col("release"), lit(""))
            : lit("");
    Column position = struct(release, col("__file_order"), col("_line"));
    Dataset<Row> repeated =
        good.groupBy(key.stream().map(k -> col(k)).toArray(Column[]::new))
            .agg(count(lit(1)).as("__n"), max(position).as("__latest"))
            .filter(col("__n").gt(1));
    for (String k : key) {
      repeated = repeated.withColumnRenamed(k, "__r_" + k);
    }
    Column on = lit(true);
    for (String k : key) {
      on = on.and(col(k).eqNullSafe(col("__r_" + k)));
    }
    Dataset<Row> joined = good.join(Duplicates.smallSide(repeated), on, "left");
    for (String k : key) {
      joined = joined.drop("__r_" + k);
    }
    return joined
        .filter(col("__n").isNull().or(position.equalTo(col("__latest"))))
        .drop("__n", "__latest");
  }

  private void replaceSeconds(double seconds) {
    List<TableCount> t = progress.tables();
    for (int i = 0; i < t.size(); i++) {
      TableCount c = t.get(i);
      if (c.table().startsWith("silver.") && c.seconds() == 0) {
        t.set(i, new TableCount(c.table(), c.rowsIn(), c.rowsOut(), c.rowsQuarantined(), seconds));
      }
    }
  }

  /**
   * Rebuilds the gold tables whose inputs changed or that do not exist yet: in waves, each wave in
   * parallel, a table that reads another gold table after it (and whenever that one is rebuilt).
   */
  private void buildGold(RefData ref, Set<TableId> changedSilver) {
    Set<TableId> changed = new java.util.HashSet<>(changedSilver);
    List<GoldTable> pending = new ArrayList<>(GoldTable.ALL);
    while (!pending.isEmpty()) {
      Set<TableId> waiting = pending.stream().map(GoldTable::id).collect(Collectors.toSet());
      List<GoldTable> wave =
          pending.stream().filter(g -> g.inputs().stream().noneMatch(waiting::contains)).toList();
      if (wave.isEmpty()) {
        throw new IllegalStateException("gold tables read each other in a cycle: " + waiting);
      }
      pending.removeAll(wave);
      List<GoldTable> todo = new ArrayList<>();
      for (GoldTable g : wave) {
        boolean inputsChanged = g.inputs().stream().anyMatch(changed::contains);
        boolean missing = !lake.exists(g.id());
        if (g.inputsExist(lake) && (inputsChanged || missing)) {
          todo.add(g);
          changed.add(g.id());
        }
      }
      buildWave(ref, todo);
    }
  }

  private void buildWave(RefData ref, List<GoldTable> todo) {
    if (todo.isEmpty()) {
      return;
    }
    progress.start(
        "gold", todo.stream().map(g -> g.id().qualified()).collect(Collectors.joining(", ")));
    Map<TableId, Long> inputRows = new java.util.concurrent.ConcurrentHashMap<>();
    List<java.util.concurrent.Callable<TableCount>> tasks = new ArrayList<>();
    for (GoldTable g : todo) {
      tasks.add(
          () -> {
            long t0 = System.nanoTime();
            long rows = lake.sync(g.build().apply(lake, ref, settings), g.id(), g.key(), g.doc());
            if (rows < 0) {
              rows = lake.read(g.id()).count();
            }
            long in = 0;
            for (TableId t : g.inputs().stream().filter(lake::exists).toList()) {
              // The inputs are cached for the transforms: counted there, not read again.
              in += inputRows.computeIfAbsent(t, x -> lake.readCached(x).count());
            }
            return new TableCount(
                g.id().qualified(), in, rows, null, (System.nanoTime() - t0) / 1e9);
          });
    }
    List<TableCount> done;
    try {
      done = Parallel.all(tasks);
    } finally {
      // Releases the cached silver read and the intermediate results the growth transforms
      // cache (nothing else is cached at this point of a run).
      lake.uncache();
      spark.catalog().clearCache();
    }
    done.forEach(progress::table);
    progress.done(
        "gold",
        done.stream()
            .map(c -> String.format(Locale.ROOT, "%s: %,d rows", c.table(), c.rowsOut()))
            .collect(Collectors.joining(", ")));
  }

  private Map<String, FileCount> reconcile(
      Dataset<Row> outcome, List<LandedFile> batch, Map<String, Long> recordsPerFile) {
    Dataset<Row> perRecord =
        outcome
            .groupBy("_file_id", "_line")
            .agg(
                max(when(col("_severity").equalTo(Reasons.ERROR), 1).otherwise(0)).as("err"),
                max(when(col("_severity").equalTo(Reasons.SKIPPED), 1).otherwise(0)).as("skip"),
                sum(when(col("_severity").isNull(), 1).otherwise(0)).as("good"));
    Column quarantined =
        col("err").equalTo(1).or(col("skip").equalTo(1).and(col("good").equalTo(0)));
    List<Row> rows =
        perRecord
            .groupBy("_file_id")
            .agg(
                count(lit(1)).as("seen"),
                sum(when(quarantined, 1).otherwise(0)).as("quarantined"),
                sum(when(
                            col("err")
                                .equalTo(0)
                                .and(col("skip").equalTo(1))
                                .and(col("good").equalTo(0)),
                            1)
                        .otherwise(0))
                    .as("skipped"),
                sum(when(quarantined.unary_$bang(), col("good")).otherwise(0)).as("facts"))
            .collectAsList();
    Map<String, Row> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.getString(0), r));
    Map<String, FileCount> out = new LinkedHashMap<>();
    for (LandedFile f : batch) {
      long records = recordsPerFile.getOrDefault(f.fileId(), 0L);
      Row r = byId.get(f.fileId());
      long seen = r == null ? 0 : r.getLong(1);
      long q = r == null ? 0 : r.getLong(2);
      long skipped = r == null ? 0 : r.getLong(3);
      long facts = r == null ? 0 : r.getLong(4);
      if (seen != records) {
        throw new PipelineException(
            "internal error: "
                + (records - seen)
                + " records of "
                + f.path()
                + " produced neither a fact nor a quarantine row (format "
                + f.format().name()
                + ")");
      }
      out.put(
          f.fileId(),
          new FileCount(
              f.path(), f.fileId(), f.format().name(), records, records - q, q, skipped, facts));
    }
    return out;
  }

  private Dataset<Row> fileOrder(List<LandedFile> batch) {
    List<LandedFile> sorted = new ArrayList<>(batch);
    sorted.sort(
        (a, b) ->
            a.modifiedAt() != b.modifiedAt()
                ? Long.compare(a.modifiedAt(), b.modifiedAt())
                : a.path().compareTo(b.path()));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      rows.add(RowFactory.create(sorted.get(i).fileId(), i));
    }
    return spark.createDataFrame(rows, StructType.fromDDL("_file_id STRING, __file_order INT"));
  }

  private void markIngested(
      List<LandedFile> batch, Map<String, Long> records, String runId, Timestamp now) {
    List<IngestedFiles.Entry> entries = new ArrayList<>();
    for (LandedFile f : batch) {
      List<String> names = Bronze.columnNames(f.format(), f.header());
      Map<String, String> columns = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        columns.put(f.header().get(i), names.get(i));
      }
      entries.add(
          new IngestedFiles.Entry(
              f.fileId(),
              f.path(),
              f.format().name(),
              f.size(),
              f.modifiedAt(),
              records.getOrDefault(f.fileId(), 0L),
              f.layout().describe(),
              f.headerLine(),
              columns));
    }
    IngestedFiles.mark(lake, entries, runId, now);
  }

  /** Writes the ref.* tables whose content differs from what the lake holds, in parallel. */
  private int writeRef(RefData ref) {
    List<java.util.concurrent.Callable<Boolean>> tasks = new ArrayList<>();
    for (Map.Entry<String, Dataset<Row>> e : ref.tables().entrySet()) {
      tasks.add(
          () -> {
            TableId id = new TableId(TableId.REF, e.getKey());
            String fingerprint = "ref:" + ref.fingerprint(e.getKey());
            if (fingerprint.equals(lake.fingerprint(id))) {
              return false;
            }
            lake.replaceTagged(
                e.getValue(),
                id,
                "Reference data: " + e.getKey() + " (versioned CSV under data/ref)",
                fingerprint);
            return true;
          });
    }
    return (int) Parallel.all(tasks).stream().filter(b -> b).count();
  }

  static String inList(String column, List<String> values) {
    return column
        + " IN ("
        + values.stream()
            .map(v -> "'" + v.replace("'", "''") + "'")
            .collect(Collectors.joining(","))
        + ")";
  }
}
