package org.metalslake.ops;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.Tables;

/**
 * {@code ops.rejected_files}: every file a run could not ingest, and why; one row per run and file,
 * appended. A rejected file is not marked as ingested, so the next run looks at it again.
 */
public final class RejectedFiles {
  private RejectedFiles() {}

  public static final StructType SCHEMA =
      StructType.fromDDL(
          "run_id STRING, path STRING, file_id STRING, size BIGINT, modified_at TIMESTAMP,"
              + " reason STRING, rejected_at TIMESTAMP");

  public static final TableDoc DOC =
      TableDoc.of(
              "Files a run could not ingest, with the reason (not readable as delimited text, or"
                  + " a header no format knows); looked at again by the next run")
          .column("run_id", "Run that rejected the file")
          .column("path", "The file")
          .column("file_id", "SHA-256 of its content (null when it could not be read)")
          .column("reason", "Why it was not ingested");

  /** Appends the run's rejected files (no commit when there are none). */
  public static void record(Lake lake, String runId, List<RejectedFile> files) {
    if (files.isEmpty()) {
      return;
    }
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<Row> rows = new ArrayList<>();
    for (RejectedFile f : files) {
      rows.add(
          RowFactory.create(
              runId,
              f.path(),
              f.fileId(),
              f.size(),
              new Timestamp(f.modifiedAt()),
              f.reason(),
              now));
    }
    lake.writes().appendRows(rows, SCHEMA, Tables.REJECTED_FILES, DOC);
  }

  private static final String KNOWN = "; known formats: ";

  /**
   * Each rejected file's reason as the console shows it after the file's path (in the files'
   * order): the file is not named a second time, and the list of known formats (a few thousand
   * characters) is given once, the later reasons saying "as above". ops.runs, ops.rejected_files
   * and the run report keep every reason whole.
   */
  public static List<String> consoleReasons(List<RejectedFile> files) {
    List<String> reasons = new ArrayList<>();
    String shown = null;
    for (RejectedFile f : files) {
      String reason = f.reason().replace(" in " + f.path() + ": ", " ");
      int k = reason.indexOf(KNOWN);
      if (k >= 0) {
        String formats = reason.substring(k);
        if (formats.equals(shown)) {
          reason = reason.substring(0, k) + KNOWN + "as above";
        }
        shown = formats;
      }
      reasons.add(reason);
    }
    return reasons;
  }

  /** "path: reason" per rejected file, the reasons as {@link #consoleReasons} gives them. */
  public static List<String> consoleLines(List<RejectedFile> files) {
    List<String> reasons = consoleReasons(files);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      lines.add(files.get(i).path() + ": " + reasons.get(i));
    }
    return lines;
  }

  /** One line naming each rejected file: what the run says at its end and in ops.runs. */
  public static String summary(List<RejectedFile> files) {
    return files.size()
        + (files.size() == 1 ? " file" : " files")
        + " rejected, every other file ingested: "
        + files.stream().map(RejectedFile::path).collect(Collectors.joining(", "));
  }
}
