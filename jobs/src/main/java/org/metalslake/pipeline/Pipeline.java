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
import java.util.LinkedHashSet;
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
import org.metalslake.conform.Reasons;
import org.metalslake.conform.SilverTable;
import org.metalslake.gold.GoldTable;
import org.metalslake.ingest.Bronze;
import org.metalslake.ingest.Formats;
import org.metalslake.ingest.LandedFile;
import org.metalslake.ingest.Landing;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.Progress;
import org.metalslake.ops.Progress.TableCount;
import org.metalslake.ops.RunLog;
import org.metalslake.ref.RefData;
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

  static final StructType FILES_SCHEMA =
      StructType.fromDDL(
          "file_id STRING, path STRING, format STRING, size BIGINT, modified_at TIMESTAMP,"
              + " records BIGINT, batch_id STRING, ingested_at TIMESTAMP");

  static final TableDoc FILES_DOC =
      TableDoc.of("Files ingested so far, by content hash; a file listed here is not read again")
          .column("file_id", "SHA-256 of the file's content");

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

  /** What a run did. */
  public record Result(String runId, String status, List<FileCount> files, double seconds) {}

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
    try {
      Result r = doRun(runId, started, paths, force, fileCounts);
      RunLog.record(
          lake, runId, job, args, started, r.status(), null, r.files(), progress.tables());
      return r;
    } catch (RuntimeException e) {
      try {
        RunLog.record(
            lake,
            runId,
            job,
            args,
            started,
            "failed",
            e.getMessage(),
            fileCounts,
            progress.tables());
      } catch (RuntimeException logFailure) {
        e.addSuppressed(logFailure);
      }
      throw e;
    }
  }

  private Result doRun(
      String runId, Timestamp started, List<String> paths, boolean force, List<FileCount> counts) {
    // ---- scan
    progress.start("scan", "looking for input files in " + String.join(", ", paths));
    Landing landing =
        new Landing(spark.sparkContext().hadoopConfiguration(), settings.includePatterns());
    List<LandedFile> found = landing.scan(paths);
    Map<String, List<String>> headers = new HashMap<>();
    List<LandedFile> files = new ArrayList<>();
    for (LandedFile f : found) {
      List<String> header = landing.header(f);
      SourceFormat fmt = formats.detect(f.path(), header);
      headers.put(f.fileId(), header);
      files.add(f.withFormat(fmt));
    }
    Set<String> done = force ? Set.of() : ingestedFileIds();
    Map<String, LandedFile> fresh = new LinkedHashMap<>();
    int repeats = 0;
    for (LandedFile f : files) {
      if (done.contains(f.fileId())) {
        repeats++;
      } else if (fresh.putIfAbsent(f.fileId(), f) != null) {
        progress.warn("same content as " + fresh.get(f.fileId()).path() + ", skipped: " + f.path());
      }
    }
    progress.done(
        "scan",
        String.format(
            Locale.ROOT,
            "%d files, %d new, %d already ingested",
            files.size(),
            fresh.size(),
            repeats));

    // ---- reference data
    progress.start("ref", "loading reference data");
    RefData ref =
        RefData.load(spark, settings.refDir()).withContentFactors(settings.contentFactors());
    int refChanged = writeRef(ref);
    progress.done("ref", refChanged + " reference tables updated");

    if (fresh.isEmpty()) {
      Set<TableId> changed = new HashSet<>();
      buildGold(ref, changed);
      progress.info("nothing new to ingest");
      return new Result(runId, "nothing_new", counts, progress.elapsedSeconds());
    }
    List<LandedFile> batch = new ArrayList<>(fresh.values());
    List<String> ids = batch.stream().map(LandedFile::fileId).toList();
    Timestamp now = new Timestamp(System.currentTimeMillis());

    // ---- bronze
    Map<TableId, List<LandedFile>> byBronze = new LinkedHashMap<>();
    for (LandedFile f : batch) {
      byBronze.computeIfAbsent(f.format().bronzeTable(), k -> new ArrayList<>()).add(f);
    }
    Map<TableId, Dataset<Row>> bronzeBatch = new LinkedHashMap<>();
    Map<String, Long> recordsPerFile = new HashMap<>();
    for (Map.Entry<TableId, List<LandedFile>> e : byBronze.entrySet()) {
      progress.start("bronze", e.getKey() + " ← " + e.getValue().size() + " files");
      Dataset<Row> union = null;
      for (LandedFile f : e.getValue()) {
        Dataset<Row> one = Bronze.read(spark, f, headers.get(f.fileId()), runId, now);
        union = union == null ? one : union.unionByName(one);
      }
      List<String> tableIds = e.getValue().stream().map(LandedFile::fileId).toList();
      lake.replaceWhere(union, e.getKey(), inList("_file_id", tableIds), Bronze.DOC);
      Dataset<Row> written = lake.read(e.getKey()).filter(col("_file_id").isin(tableIds.toArray()));
      bronzeBatch.put(e.getKey(), written);
      long total = 0;
      for (Row r : written.groupBy("_file_id").count().collectAsList()) {
        recordsPerFile.put(r.getString(0), r.getLong(1));
        total += r.getLong(1);
      }
      double s =
          progress.done("bronze", String.format(Locale.ROOT, "%s: %,d records", e.getKey(), total));
      progress.table(new TableCount(e.getKey().qualified(), total, total, 0L, s));
    }

    // ---- conform
    progress.start("silver", "conforming " + batch.size() + " files");
    Map<TableId, Dataset<Row>> factsByTable = new LinkedHashMap<>();
    Set<SourceFormat> used = new LinkedHashSet<>();
    batch.forEach(f -> used.add(f.format()));
    for (SourceFormat fmt : used) {
      Dataset<Row> bronze =
          bronzeBatch.get(fmt.bronzeTable()).filter(col("_format").equalTo(fmt.name()));
      for (Map.Entry<TableId, Dataset<Row>> e : fmt.conform(bronze, ref).entrySet()) {
        factsByTable.merge(e.getKey(), e.getValue(), Dataset::unionByName);
      }
    }
    Map<TableId, Dataset<Row>> flagged = new LinkedHashMap<>();
    List<Dataset<Row>> cachedFacts = new ArrayList<>();
    Dataset<Row> outcome = null;
    for (Map.Entry<TableId, Dataset<Row>> e : factsByTable.entrySet()) {
      SilverTable st = SilverTable.of(e.getKey());
      // The raw record is only needed for quarantine rows; it is joined back from bronze
      // there, so the facts that are sorted, cached and counted stay narrow.
      Dataset<Row> facts =
          e.getValue()
              .drop("record")
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
    Dataset<Row> rawRecords = null;
    for (Dataset<Row> b : bronzeBatch.values()) {
      Dataset<Row> r = b.select(col("_file_id").as("__rf"), col("_line").as("__rl"), col("record"));
      rawRecords = rawRecords == null ? r : rawRecords.unionByName(r);
    }
    Dataset<Row> quarantine = null;
    for (Dataset<Row> f : flagged.values()) {
      Dataset<Row> bad = f.filter(col("_reason").isNotNull());
      Dataset<Row> q =
          bad.join(
                  rawRecords,
                  bad.col("_file_id")
                      .equalTo(col("__rf"))
                      .and(bad.col("_line").equalTo(col("__rl"))),
                  "left")
              .select(
                  col("_batch_id"),
                  col("_file_id"),
                  col("_source_file"),
                  col("_line"),
                  col("_format"),
                  col("_target").as("target_table"),
                  col("_severity").as("severity"),
                  col("_reason").as("reason"),
                  col("record"),
                  lit(now).as("_quarantined_at"));
      quarantine = quarantine == null ? q : quarantine.unionByName(q);
    }
    lake.replaceWhere(quarantine, Tables.QUARANTINE, inList("_file_id", ids), QUARANTINE_DOC);
    progress.debug("silver", "quarantine written");

    Dataset<Row> order = fileOrder(batch);
    Set<TableId> changed = new HashSet<>();
    for (Map.Entry<TableId, Dataset<Row>> e : flagged.entrySet()) {
      SilverTable st = SilverTable.of(e.getKey());
      Dataset<Row> good =
          latestPerKey(
                  e.getValue()
                      .filter(col("_reason").isNull())
                      .join(org.apache.spark.sql.functions.broadcast(order), "_file_id"),
                  st.key())
              .drop(
                  "__file_order", "_reason", "_severity", "_target", "_fields", "_expected_fields");
      lake.merge(good, e.getKey(), st.key(), st.doc());
      changed.add(e.getKey());
      long[] c = perTable.getOrDefault(e.getKey().qualified(), new long[3]);
      progress.table(new TableCount(e.getKey().qualified(), c[0], c[1], c[2], 0));
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

    // ---- gold, then the files are marked as ingested: a run killed before this point leaves
    // them unmarked, and the next run repeats the (idempotent) work up to gold.
    buildGold(ref, changed);
    markIngested(batch, recordsPerFile, runId, now);
    if (lake.usesMetastore()) {
      lake.registerAll();
    }
    return new Result(runId, "succeeded", counts, progress.elapsedSeconds());
  }

  /**
   * The latest fact per key when files of one batch share keys (a later release replaces an earlier
   * one: latest file, then latest line). Inside a file a key is unique by now (duplicates are
   * quarantined), so only keys seen more than once come from several files: they are found with an
   * aggregation over the key columns and only they are resolved.
   */
  static Dataset<Row> latestPerKey(Dataset<Row> good, List<String> key) {
    Column position = struct(col("__file_order"), col("_line"));
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
            lake.sync(g.build().apply(lake, ref, settings), g.id(), g.key(), g.doc());
            long rows = lake.read(g.id()).count();
            long in = 0;
            for (TableId t : g.inputs().stream().filter(lake::exists).toList()) {
              in += inputRows.computeIfAbsent(t, x -> lake.read(x).count());
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

  private Set<String> ingestedFileIds() {
    if (!lake.exists(Tables.INGESTED_FILES)) {
      return Set.of();
    }
    return lake.read(Tables.INGESTED_FILES).select("file_id").collectAsList().stream()
        .map(r -> r.getString(0))
        .collect(Collectors.toSet());
  }

  private void markIngested(
      List<LandedFile> batch, Map<String, Long> records, String runId, Timestamp now) {
    List<Row> rows = new ArrayList<>();
    for (LandedFile f : batch) {
      rows.add(
          RowFactory.create(
              f.fileId(),
              f.path(),
              f.format().name(),
              f.size(),
              new Timestamp(f.modifiedAt()),
              records.getOrDefault(f.fileId(), 0L),
              runId,
              now));
    }
    lake.merge(
        spark.createDataFrame(rows, FILES_SCHEMA),
        Tables.INGESTED_FILES,
        List.of("file_id"),
        FILES_DOC);
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
