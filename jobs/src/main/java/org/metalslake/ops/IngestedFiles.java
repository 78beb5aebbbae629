package org.metalslake.ops;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.Tables;

/**
 * {@code ops.ingested_files}: the files ingested so far, by content hash, with where they were and
 * how they were read. A run reads only files it has not seen: a file with the same path, size and
 * modification time is not even read again; one with the same content under another name is read
 * (to fingerprint it) but not ingested again.
 */
public final class IngestedFiles {
  private IngestedFiles() {}

  public static final StructType SCHEMA =
      StructType.fromDDL(
          "file_id STRING, path STRING, format STRING, size BIGINT, modified_at TIMESTAMP,"
              + " records BIGINT, batch_id STRING, ingested_at TIMESTAMP, layout STRING,"
              + " header_line BIGINT, columns MAP<STRING, STRING>");

  public static final TableDoc DOC =
      TableDoc.of("Files ingested so far, by content hash; a file listed here is not read again")
          .column("file_id", "SHA-256 of the file's content")
          .column("path", "Where the file was when it was ingested")
          .column("format", "Input format recognised from its header")
          .column("records", "Records read from it into bronze")
          .column(
              "layout", "How it was read: gzip or not, character set, byte-order mark, delimiter")
          .column("header_line", "Physical line of the header")
          .column("columns", "Header column as written in the file → bronze column");

  /** One file to record as ingested. */
  public record Entry(
      String fileId,
      String path,
      String format,
      long size,
      long modifiedAt,
      long records,
      String layout,
      long headerLine,
      Map<String, String> columns) {}

  /** What the lake has ingested: by path, size and modification time, and by content. */
  public record Known(Set<String> files, Set<String> contents) {
    public static Known none() {
      return new Known(Set.of(), Set.of());
    }

    public boolean sameFile(String path, long size, long modifiedAt) {
      return files.contains(key(path, size, modifiedAt));
    }

    public boolean content(String fileId) {
      return contents.contains(fileId);
    }
  }

  private static String key(String path, long size, long modifiedAt) {
    return path + "\u0000" + size + "\u0000" + modifiedAt;
  }

  public static Known known(Lake lake) {
    Set<String> files = new HashSet<>();
    Set<String> contents = new HashSet<>();
    for (Object[] r :
        lake.smallTableRows(
            Tables.INGESTED_FILES, List.of("file_id", "path", "size", "modified_at"))) {
      contents.add((String) r[0]);
      if (r[1] != null && r[2] != null && r[3] != null) {
        // modified_at: microseconds in the table, milliseconds in the key
        files.add(key((String) r[1], (Long) r[2], Math.floorDiv((Long) r[3], 1000L)));
      }
    }
    return new Known(files, contents);
  }

  /** Records the files as ingested by this run (one commit). */
  public static void mark(Lake lake, List<Entry> files, String runId, Timestamp now) {
    List<Row> rows = new ArrayList<>();
    for (Entry f : files) {
      rows.add(
          RowFactory.create(
              f.fileId(),
              f.path(),
              f.format(),
              f.size(),
              new Timestamp(f.modifiedAt()),
              f.records(),
              runId,
              now,
              f.layout(),
              f.headerLine(),
              scala.jdk.javaapi.CollectionConverters.asScala(f.columns())));
    }
    lake.writes()
        .merge(
            lake.spark().createDataFrame(rows, SCHEMA),
            Tables.INGESTED_FILES,
            List.of("file_id"),
            DOC);
  }
}
