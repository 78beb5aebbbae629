package org.metalslake.ops;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.Tables;

/** {@code ops.runs}: one row per job run with its counts per file and per table. */
public final class RunLog {
  private RunLog() {}

  public static final StructType SCHEMA =
      StructType.fromDDL(
          "run_id STRING, job STRING, args STRING, started_at TIMESTAMP, ended_at TIMESTAMP,"
              + " status STRING, message STRING,"
              + " files ARRAY<STRUCT<file: STRING, file_id: STRING, format: STRING,"
              + " records: BIGINT, to_silver: BIGINT, quarantined: BIGINT, skipped: BIGINT,"
              + " facts: BIGINT>>,"
              + " tables ARRAY<STRUCT<table: STRING, rows_in: BIGINT, rows_out: BIGINT,"
              + " rows_quarantined: BIGINT, seconds: DOUBLE>>,"
              + " rejected ARRAY<STRUCT<path: STRING, reason: STRING>>");

  public static final TableDoc DOC =
      TableDoc.of("One row per job run: arguments, outcome and counts per file and table")
          .column("run_id", "Run identifier, also the _batch_id of what it ingested")
          .column("job", "Command: run, ingest, restore")
          .column("args", "Arguments (values of secret-looking keys are masked)")
          .column(
              "status",
              "succeeded, nothing_new, partial (some files rejected, every other file ingested),"
                  + " conflict (another run changed the lake at the same time: run it again) or"
                  + " failed")
          .column(
              "message",
              "Failure message or a note (restore: the table and the versions it went from and to)")
          .column("files", "Per file: records = to_silver + quarantined (skipped included)")
          .column("tables", "Per table: rows in, rows out, rows quarantined, seconds")
          .column(
              "rejected", "Files the run could not ingest, with the reason (ops.rejected_files)");

  private static final Pattern SECRET =
      Pattern.compile("(?i)(secret|password|passwd|token|credential|access[._-]?key)[^=]*=\\S*");

  /** Masks the values of secret-looking settings in an argument line. */
  public static String mask(String args) {
    return SECRET
        .matcher(args)
        .replaceAll(
            m -> {
              String s = m.group();
              return java.util.regex.Matcher.quoteReplacement(
                  s.substring(0, s.indexOf('=') + 1) + "***");
            });
  }

  /** A run being logged: what is known when it starts. */
  public record Run(Lake lake, String runId, String job, String args, Timestamp started) {
    /** Records the run's end in ops.runs, and its rejected files in ops.rejected_files. */
    public void end(
        String status,
        String message,
        List<FileCount> files,
        List<RejectedFile> rejected,
        List<Progress.TableCount> tables) {
      RejectedFiles.record(lake, runId, rejected);
      record(lake, runId, job, args, started, status, message, files, rejected, tables);
    }
  }

  private static void record(
      Lake lake,
      String runId,
      String job,
      String args,
      Timestamp started,
      String status,
      String message,
      List<FileCount> files,
      List<RejectedFile> rejected,
      List<Progress.TableCount> tables) {
    List<Row> fileRows = new ArrayList<>();
    for (FileCount f : files) {
      fileRows.add(
          RowFactory.create(
              f.file(),
              f.fileId(),
              f.format(),
              f.records(),
              f.toSilver(),
              f.quarantined(),
              f.skipped(),
              f.facts()));
    }
    List<Row> tableRows = new ArrayList<>();
    for (Progress.TableCount t : tables) {
      tableRows.add(
          RowFactory.create(t.table(), t.rowsIn(), t.rowsOut(), t.rowsQuarantined(), t.seconds()));
    }
    List<Row> rejectedRows = new ArrayList<>();
    for (RejectedFile r : rejected) {
      rejectedRows.add(RowFactory.create(r.path(), r.reason()));
    }
    Row row =
        RowFactory.create(
            runId,
            job,
            mask(args),
            started,
            new Timestamp(System.currentTimeMillis()),
            status,
            message,
            fileRows,
            tableRows,
            rejectedRows);
    lake.writes().appendRows(List.of(row), SCHEMA, Tables.RUNS, DOC);
  }
}
