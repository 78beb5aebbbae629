package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.metalslake.ingest.Bronze;
import org.metalslake.ingest.Intake;
import org.metalslake.ingest.LandedFile;
import org.metalslake.ops.IngestedFiles;
import org.metalslake.ops.Progress.TableCount;
import org.metalslake.ops.Reconciliation;
import org.metalslake.ref.RefData;
import org.metalslake.sources.SourceFormat;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableId;
import org.metalslake.storage.TableWrites;

/**
 * Bronze: the batch's files parsed into one table per format, each replaced for the batch's files
 * in one commit, the tables written side by side; then the records per file as committed, counted
 * for all tables in one job.
 */
final class BronzeStage extends Stage {

  BronzeStage(StageContext stage) {
    super(stage);
  }

  /**
   * The batch as bronze holds it: its files, each file's number (its place in the order in which
   * later files win: modification time, then path), each format's rows of the batch, and the
   * records per file.
   */
  record Batch(
      List<LandedFile> files,
      Map<String, Integer> numbers,
      Map<SourceFormat, List<LandedFile>> byFormat,
      Map<SourceFormat, Dataset<Row>> rows,
      Map<String, Long> recordsPerFile,
      List<Dataset<Row>> parsed) {

    List<String> fileIds() {
      return files.stream().map(LandedFile::fileId).toList();
    }

    /** Each file with its number in the batch and its record count. */
    List<Reconciliation.InputFile> inputFiles() {
      return files.stream()
          .map(
              f ->
                  new Reconciliation.InputFile(
                      numbers.get(f.fileId()),
                      f.path(),
                      f.fileId(),
                      f.format().name(),
                      recordsPerFile.getOrDefault(f.fileId(), 0L)))
          .toList();
    }

    /** Frees the parsed rows kept for the run. */
    void release() {
      parsed.forEach(Dataset::unpersist);
    }

    /** Each format's rows by the format's name. */
    Map<String, Dataset<Row>> rowsByFormatName() {
      Map<String, Dataset<Row>> out = new LinkedHashMap<>();
      rows.forEach((f, d) -> out.put(f.name(), d));
      return out;
    }

    /** The ops.ingested_files entries of the batch's files. */
    List<IngestedFiles.Entry> ingested() {
      List<IngestedFiles.Entry> entries = new ArrayList<>();
      for (LandedFile f : files) {
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
                recordsPerFile.getOrDefault(f.fileId(), 0L),
                f.layout().describe(),
                f.headerLine(),
                columns));
      }
      return entries;
    }
  }

  /** One format's bronze rows of this batch as committed, its records per file, the seconds. */
  private record Written(
      SourceFormat format,
      Dataset<Row> parsed,
      Dataset<Row> rows,
      Map<String, Long> records,
      double seconds) {}

  Batch run(List<LandedFile> fresh, String runId, Timestamp now, RefData ref) {
    List<LandedFile> sorted = new ArrayList<>(fresh);
    sorted.sort(
        (a, b) ->
            a.modifiedAt() != b.modifiedAt()
                ? Long.compare(a.modifiedAt(), b.modifiedAt())
                : a.path().compareTo(b.path()));
    Map<String, Integer> numbers = new HashMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      numbers.put(sorted.get(i).fileId(), i);
    }
    Map<SourceFormat, List<LandedFile>> byFormat = Intake.byFormat(fresh);
    progress.start(
        "bronze",
        byFormat.size() + " tables ← " + fresh.size() + " files (" + byFormat.size() + " commits)");
    boolean keep =
        fresh.stream().mapToLong(LandedFile::size).sum() < settings.interpretedBelowBytes();
    List<Callable<Written>> writes = new ArrayList<>();
    for (Map.Entry<SourceFormat, List<LandedFile>> e : byFormat.entrySet()) {
      writes.add(() -> write(e.getKey(), e.getValue(), runId, now, keep));
    }
    Map<SourceFormat, Dataset<Row>> rows = new LinkedHashMap<>();
    Map<TableId, Double> seconds = new LinkedHashMap<>();
    Map<String, Long> recordsPerFile = new HashMap<>();
    List<Dataset<Row>> parsed = new ArrayList<>();
    for (Written w : Parallel.all(writes)) {
      if (w.parsed() != null) {
        parsed.add(w.parsed());
      }
      rows.put(w.format(), w.rows());
      seconds.put(w.format().bronzeTable(), w.seconds());
      recordsPerFile.putAll(w.records());
    }
    long records = 0;
    for (Map.Entry<SourceFormat, List<LandedFile>> e : byFormat.entrySet()) {
      TableId table = e.getKey().bronzeTable();
      long total =
          e.getValue().stream().mapToLong(f -> recordsPerFile.getOrDefault(f.fileId(), 0L)).sum();
      records += total;
      progress.table(new TableCount(table.qualified(), total, total, 0L, seconds.get(table)));
    }
    progress.done(
        "bronze", String.format(Locale.ROOT, "%,d records in %d tables", records, rows.size()));
    for (Map.Entry<SourceFormat, Dataset<Row>> e : rows.entrySet()) {
      e.getKey().warnings(e.getValue(), ref).forEach(progress::warn);
    }
    return new Batch(List.copyOf(fresh), numbers, byFormat, rows, recordsPerFile, parsed);
  }

  /**
   * Parses one format's files and replaces their rows in its bronze table. A small batch keeps the
   * parsed rows (cached) for the rest of the run: counted, conformed and read for quarantine from
   * there, not read back from the table, whose columns they are given (a table holds every column
   * its files ever brought). A large one reads its rows back from the table: Parquet's columns are
   * cheaper to read again than millions of rows to hold as objects.
   */
  private Written write(
      SourceFormat fmt, List<LandedFile> files, String runId, Timestamp now, boolean keep) {
    long t0 = System.nanoTime();
    TableId table = fmt.bronzeTable();
    Dataset<Row> parsed = Bronze.read(spark(), fmt, files, runId, now);
    if (keep) {
      parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK());
    }
    List<String> ids = files.stream().map(LandedFile::fileId).toList();
    lake.writes()
        .replaceWhere(
            parsed,
            table,
            Lake.inList("_file_id", ids),
            Bronze.doc(fmt),
            TableWrites.PER_FILE_RECORDS);
    Dataset<Row> committed = lake.read(table);
    Dataset<Row> rows =
        keep
            ? withColumnsOf(committed.schema(), parsed)
            : committed.filter(col("_file_id").isin(ids.toArray()));
    Map<String, Long> records = new HashMap<>();
    for (Row r : rows.groupBy("_file_id").count().collectAsList()) {
      records.put(r.getString(0), r.getLong(1));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    progress.info(
        String.format(
            Locale.ROOT,
            "bronze   %s ← %d %s written (%.1f s)",
            table,
            files.size(),
            files.size() == 1 ? "file" : "files",
            seconds));
    return new Written(fmt, keep ? parsed : null, rows, records, seconds);
  }

  /** {@code rows} with the columns of {@code schema}, in its order; null where rows lack one. */
  private static Dataset<Row> withColumnsOf(StructType schema, Dataset<Row> rows) {
    java.util.Set<String> have = java.util.Set.of(rows.columns());
    Column[] columns =
        java.util.Arrays.stream(schema.fields())
            .map(
                f ->
                    have.contains(f.name())
                        ? col("`" + f.name().replace("`", "``") + "`")
                        : lit(null).cast(f.dataType()).as(f.name()))
            .toArray(Column[]::new);
    return rows.select(columns);
  }
}
