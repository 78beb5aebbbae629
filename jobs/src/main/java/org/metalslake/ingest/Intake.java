package org.metalslake.ingest;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.csv.Encodings;
import org.metalslake.csv.Probe;
import org.metalslake.csv.TextLayout;
import org.metalslake.ops.IngestedFiles;
import org.metalslake.ops.RejectedFile;
import org.metalslake.sources.Formats;
import org.metalslake.sources.Header;
import org.metalslake.sources.SourceFormat;

/**
 * What every input file goes through before its format's rules: found in the landing paths, read
 * once (fingerprint, layout, header), recognised by its header, then parsed into bronze rows. An
 * xlsx workbook is recognised by the format that finds its sheet and header in the sheets' first
 * rows. A file that cannot be read as delimited text or a workbook, or whose header no format
 * knows, is rejected with the reason, and the others go on.
 */
public final class Intake {
  private final Supplier<SparkSession> spark;
  private final Supplier<Configuration> hadoop;
  private final Formats formats;
  private final List<String> patterns;
  private final Encodings encodings;

  public Intake(SparkSession spark, Formats formats, List<String> patterns, Encodings encodings) {
    this(
        () -> spark,
        () -> spark.sparkContext().hadoopConfiguration(),
        formats,
        patterns,
        encodings);
  }

  /**
   * An intake whose session is asked for only when a file has to be read: a scan that finds every
   * file ingested before lists the landing zone through {@code hadoop} alone.
   */
  public Intake(
      Supplier<SparkSession> spark,
      Supplier<Configuration> hadoop,
      Formats formats,
      List<String> patterns,
      Encodings encodings) {
    this.spark = spark;
    this.hadoop = hadoop;
    this.formats = formats;
    this.patterns = patterns;
    this.encodings = encodings;
  }

  /** What the scan found: files seen, the new ones to ingest, repeats, and rejected files. */
  /**
   * What a scan found: {@code seen} files, the {@code fresh} ones to ingest, the {@code skipped}
   * ones (already ingested, or repeating another file of the scan) and the {@code rejected} ones.
   */
  public record Scan(
      int seen, List<LandedFile> fresh, List<Skipped> skipped, List<RejectedFile> rejected) {
    /** Files ingested before (by path, size and time, or by content). */
    public int repeats() {
      return (int) skipped.stream().filter(Skipped::ingestedBefore).count();
    }
  }

  /** A file a run leaves out, and why. */
  public record Skipped(String path, String why, boolean ingestedBefore) {}

  /**
   * Lists the paths and reads each file {@code known} does not hold (a file ingested before under
   * the same path, size and modification time is not read again): fingerprint, layout, header. A
   * file whose content was ingested before, or that repeats another file of this scan, is not
   * ingested again ({@code warn} hears of the second kind).
   */
  public Scan scan(List<String> paths, IngestedFiles.Known known, Consumer<String> warn) {
    Landing landing = new Landing(hadoop.get(), patterns);
    List<Landing.Found> found = landing.scan(paths);
    List<Landing.Found> toRead = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (Landing.Found f : found) {
      if (known.sameFile(f.path(), f.size(), f.modifiedAt())) {
        skipped.add(new Skipped(f.path(), "already ingested", true));
      } else {
        toRead.add(f);
      }
    }
    List<FileScan.Scanned> probes =
        toRead.isEmpty() ? List.of() : FileScan.probe(spark.get(), toRead, encodings);
    Map<String, LandedFile> fresh = new LinkedHashMap<>();
    List<RejectedFile> rejected = new ArrayList<>();
    for (int i = 0; i < toRead.size(); i++) {
      Landing.Found f = toRead.get(i);
      FileScan.Scanned scanned = probes.get(i);
      Probe p = scanned.probe();
      if (!p.readable()) {
        rejected.add(new RejectedFile(f.path(), p.sha256(), f.size(), f.modifiedAt(), p.problem()));
        continue;
      }
      if (known.content(p.sha256())) {
        skipped.add(new Skipped(f.path(), "its content was already ingested", true));
        continue;
      }
      SourceFormat format;
      TextLayout layout;
      List<String> header;
      long headerLine;
      if (scanned.workbook()) {
        Optional<Formats.SheetMatch> m = formats.findSheet(scanned.sheets());
        if (m.isEmpty()) {
          rejected.add(
              new RejectedFile(
                  f.path(),
                  p.sha256(),
                  f.size(),
                  f.modifiedAt(),
                  formats.unknownWorkbook(f.path(), scanned.sheets())));
          continue;
        }
        format = m.get().format();
        layout = TextLayout.workbook(m.get().header().sheet());
        header = m.get().header().names();
        headerLine = m.get().header().row();
      } else {
        Optional<SourceFormat> fmt = formats.find(new Header(p.header()));
        if (fmt.isEmpty()) {
          rejected.add(
              new RejectedFile(
                  f.path(),
                  p.sha256(),
                  f.size(),
                  f.modifiedAt(),
                  formats.unknown(f.path(), new Header(p.header()))));
          continue;
        }
        format = fmt.get();
        layout = p.layout();
        header = p.header();
        headerLine = p.headerLine();
      }
      LandedFile lf =
          new LandedFile(
              f.path(),
              f.uri(),
              f.folder(),
              f.size(),
              f.modifiedAt(),
              p.sha256(),
              layout,
              header,
              headerLine,
              format);
      LandedFile first = fresh.putIfAbsent(p.sha256(), lf);
      if (first != null) {
        warn.accept("same content as " + first.path() + ", skipped: " + f.path());
        skipped.add(new Skipped(f.path(), "same content as " + first.path(), false));
      }
    }
    return new Scan(found.size(), new ArrayList<>(fresh.values()), skipped, rejected);
  }

  /** The files grouped by format, in the order first seen. */
  public static Map<SourceFormat, List<LandedFile>> byFormat(List<LandedFile> files) {
    Map<SourceFormat, List<LandedFile>> out = new LinkedHashMap<>();
    for (LandedFile f : files) {
      out.computeIfAbsent(f.format(), k -> new ArrayList<>()).add(f);
    }
    return out;
  }

  /**
   * The bronze rows of files, per format, as they would be written (nothing is written): for
   * checking files and for tests that conform files the pipeline's way.
   */
  public Map<SourceFormat, Dataset<Row>> bronze(
      List<LandedFile> files, String batchId, Timestamp now) {
    Map<SourceFormat, Dataset<Row>> out = new LinkedHashMap<>();
    for (Map.Entry<SourceFormat, List<LandedFile>> e : byFormat(files).entrySet()) {
      out.put(e.getKey(), Bronze.read(spark.get(), e.getKey(), e.getValue(), batchId, now));
    }
    return out;
  }
}
