package org.metalslake.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.metalslake.csv.CsvText;
import org.metalslake.csv.Encodings;
import org.metalslake.csv.Printable;
import org.metalslake.csv.Probe;
import org.metalslake.xlsx.Sheet;
import org.metalslake.xlsx.Workbooks;

/**
 * Reads each new file once, whole, in parallel on the executors (where the data is): its SHA-256,
 * compression, character set, delimiter and header ({@link CsvText#probe}). A zip archive that is
 * an xlsx workbook is read a second time for the first rows of its sheets, from which a format
 * finds its sheet and header. Only files the lake has not seen under the same path, size and
 * modification time are read.
 */
public final class FileScan {
  private FileScan() {}

  /** Rows of each sheet a workbook's probe keeps, for formats to find their header in. */
  static final int SHEET_PREVIEW_ROWS = 20;

  /** A file's probe and, for an xlsx workbook, its sheets' first rows (else null). */
  public record Scanned(Probe probe, List<Sheet> sheets) implements Serializable {
    public boolean workbook() {
      return sheets != null;
    }
  }

  private record Task(String uri, String charset) implements Serializable {}

  /** The probe of every file, in the order given. */
  public static List<Scanned> probe(SparkSession spark, List<Landing.Found> files, Encodings enc) {
    if (files.isEmpty()) {
      return List.of();
    }
    List<Task> tasks = new ArrayList<>();
    for (Landing.Found f : files) {
      tasks.add(new Task(f.uri(), enc.forFile(f.path())));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    try {
      return jsc.parallelize(tasks, Math.min(tasks.size(), 256))
          .map(t -> probe(t.uri(), t.charset(), conf.value().value()))
          .collect();
    } finally {
      conf.destroy();
    }
  }

  /** One file's probe; an unreadable file comes back with its problem, not an exception. */
  public static Scanned probe(String uri, String charset, Configuration conf) {
    Path p = new Path(URI.create(uri));
    try {
      FileSystem fs = p.getFileSystem(conf);
      Probe probe;
      try (InputStream in = fs.open(p)) {
        probe = CsvText.probe(in, charset);
      }
      if (probe.zipArchive()) {
        try (InputStream in = fs.open(p)) {
          Optional<List<Sheet>> sheets = Workbooks.sheets(in, SHEET_PREVIEW_ROWS);
          if (sheets.isPresent()) {
            return new Scanned(
                new Probe(probe.sha256(), probe.bytes(), null, List.of(), 0, null), sheets.get());
          }
        } catch (IOException | RuntimeException e) {
          // POI reports a corrupt part of a workbook with runtime exceptions
          return new Scanned(
              new Probe(
                  probe.sha256(),
                  probe.bytes(),
                  null,
                  List.of(),
                  0,
                  "an unreadable xlsx workbook: " + Printable.of(String.valueOf(e.getMessage()))),
              null);
        }
      }
      return new Scanned(probe, null);
    } catch (IOException e) {
      return new Scanned(
          new Probe(
              null,
              0,
              null,
              List.of(),
              0,
              "unreadable: " + Printable.of(e.getClass().getSimpleName() + ": " + e.getMessage())),
          null);
    }
  }
}
