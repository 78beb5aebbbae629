package org.metalslake.ingest;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Timestamp;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.metalslake.csv.ColumnKey;
import org.metalslake.csv.CsvText;
import org.metalslake.csv.TextLayout;
import org.metalslake.sources.SourceFormat;
import org.metalslake.storage.TableDoc;
import org.metalslake.xlsx.SheetRow;
import org.metalslake.xlsx.Workbooks;

/**
 * Raw records with lineage, one bronze table per source format: one row per input record, every
 * source column a flat string column. A header column the format knows is stored under the format's
 * name for it (so {@code CmdCode}, {@code cmdCode} and {@code cmd_code} are all {@code cmd_code});
 * any other column under its own name made plain ({@code PROD_EST_ 2024} → {@code prod_est_2024}).
 * Headers are resolved once per file, on the driver; the records are read by the executors, one
 * task per file (or per handful of small files). A workbook's records are the rows of its sheet
 * that have a value, its header row left out; {@code _line} is the sheet's row number.
 */
public final class Bronze {
  private Bronze() {}

  /** The lineage columns, first in every bronze table. */
  public static final StructType LINEAGE =
      StructType.fromDDL(
          "_batch_id STRING, _file_id STRING, _source_file STRING, _line BIGINT, _format STRING,"
              + " _ingested_at TIMESTAMP, _fields INT, _expected_fields INT,"
              + " _extra_fields ARRAY<STRING>");

  public static TableDoc doc(SourceFormat format) {
    return TableDoc.of(
            "Raw "
                + format.name()
                + " records, one row per record, append-only; every source column kept as a"
                + " string")
        .column("_batch_id", "Run that ingested the record")
        .column("_file_id", "SHA-256 of the source file's content")
        .column("_source_file", "Path of the source file when it was ingested")
        .column(
            "_line",
            "Physical line the record starts on (line 1 is the first line); a sheet's row number")
        .column("_format", "Input format recognised from the header")
        .column("_ingested_at", "When the record was ingested (UTC)")
        .column(
            "_fields",
            "Number of fields the record has (blank fields past the header's end" + " not counted)")
        .column("_expected_fields", "Number of columns in the file's header")
        .column("_extra_fields", "Fields past the header's last column, when there are any");
  }

  /** Files of at least this size are read by a task of their own; smaller ones share one. */
  static final long OWN_TASK_BYTES = 16L << 20;

  /**
   * The bronze column of each header column: the format's name when the format knows the column,
   * else its own name made plain; names made unique ({@code _2}, {@code _3}), blank names become
   * {@code column_N} (N counted from 1).
   */
  public static List<String> columnNames(SourceFormat format, List<String> header) {
    Map<String, String> known = new java.util.HashMap<>();
    for (String c : format.columns()) {
      known.put(ColumnKey.of(c), c);
    }
    format.aliases().forEach(known::put);
    List<String> out = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i);
      String name = known.get(ColumnKey.of(h));
      if (name == null) {
        name = plain(h);
      }
      if (name.isEmpty()) {
        name = "column_" + (i + 1);
      }
      String unique = name;
      for (int n = 2; !used.add(unique); n++) {
        unique = name + "_" + n;
      }
      out.add(unique);
    }
    return out;
  }

  /**
   * A column name as a plain bronze column name: letters without accents, lower case, every run of
   * other characters one underscore, no underscore at either end (its {@link ColumnKey key} is the
   * original name's).
   */
  static String plain(String name) {
    return Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFD)
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_")
        .replaceAll("^_+|_+$", "");
  }

  /** The schema of a format's bronze rows: lineage, the format's columns, then the others. */
  public static StructType schema(List<String> sourceColumns) {
    StructType s = LINEAGE;
    for (String c : sourceColumns) {
      s = s.add(c, DataTypes.StringType);
    }
    return s;
  }

  /**
   * The bronze rows of files of one format (read when an action runs): their source columns are the
   * format's, then every other column the files have, in the order first seen.
   */
  public static Dataset<Row> read(
      SparkSession spark,
      SourceFormat format,
      List<LandedFile> files,
      String batchId,
      Timestamp now) {
    List<String> columns = new ArrayList<>(format.columns());
    List<List<String>> names = new ArrayList<>();
    for (LandedFile f : files) {
      List<String> n = columnNames(format, f.header());
      names.add(n);
      for (String c : n) {
        if (!columns.contains(c)) {
          columns.add(c);
        }
      }
    }
    List<ParseTask> tasks = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      LandedFile f = files.get(i);
      List<String> n = names.get(i);
      int[] target = new int[n.size()];
      boolean[] blankName = new boolean[n.size()];
      for (int j = 0; j < n.size(); j++) {
        target[j] = columns.indexOf(n.get(j));
        blankName[j] = f.header().get(j).isBlank();
      }
      tasks.add(
          new ParseTask(
              f.uri(),
              f.path(),
              f.fileId(),
              f.size(),
              format.name(),
              batchId,
              now.getTime(),
              f.layout(),
              f.headerLine(),
              target,
              blankName,
              columns.size()));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    List<List<ParseTask>> bins = bins(tasks);
    JavaRDD<Row> rows =
        jsc.parallelize(bins, bins.size()).flatMap(bin -> new Records(bin, conf.value().value()));
    return spark.createDataFrame(rows, schema(columns));
  }

  /** Big files a task each; small ones packed together up to {@link #OWN_TASK_BYTES}. */
  static List<List<ParseTask>> bins(List<ParseTask> tasks) {
    List<ParseTask> sorted = new ArrayList<>(tasks);
    sorted.sort(Comparator.comparingLong(ParseTask::size).reversed());
    List<List<ParseTask>> bins = new ArrayList<>();
    List<ParseTask> small = new ArrayList<>();
    long smallBytes = 0;
    for (ParseTask t : sorted) {
      if (t.size() >= OWN_TASK_BYTES) {
        bins.add(List.of(t));
      } else {
        if (!small.isEmpty() && smallBytes + t.size() > OWN_TASK_BYTES) {
          bins.add(small);
          small = new ArrayList<>();
          smallBytes = 0;
        }
        small.add(t);
        smallBytes += t.size();
      }
    }
    if (!small.isEmpty()) {
      bins.add(small);
    }
    return bins;
  }

  /** What a task needs to read one file into bronze rows. */
  record ParseTask(
      String uri,
      String path,
      String fileId,
      long size,
      String format,
      String batchId,
      long ingestedAt,
      TextLayout layout,
      long headerLine,
      int[] target,
      boolean[] blankName,
      int width)
      implements Serializable {}

  /** The bronze rows of the files of one task, file after file, each closed when done. */
  static final class Records implements Iterator<Row> {
    private final Iterator<ParseTask> files;
    private final Configuration conf;
    private ParseTask task;
    private CsvReader<CsvRecord> reader;
    private Iterator<CsvRecord> records;
    private Iterator<SheetRow> sheetRows;
    private Row next;

    Records(List<ParseTask> files, Configuration conf) {
      this.files = files.iterator();
      this.conf = conf;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (records != null && records.hasNext()) {
          CsvRecord r = records.next();
          if (!CsvText.blankLine(r)) {
            next = row(task, r.getFields(), r.getStartingLineNumber());
          }
          continue;
        }
        if (sheetRows != null && sheetRows.hasNext()) {
          SheetRow r = sheetRows.next();
          if (r.number() != task.headerLine()) {
            next = row(task, padded(r.cells(), task.target().length), r.number());
          }
          continue;
        }
        close();
        if (!files.hasNext()) {
          return false;
        }
        open(files.next());
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      return r;
    }

    private void open(ParseTask t) {
      task = t;
      Path p = new Path(URI.create(t.uri()));
      try {
        FileSystem fs = p.getFileSystem(conf);
        if (t.layout().isWorkbook()) {
          // A sheet is read whole, in this task: its rows are few beside a CSV file's.
          List<SheetRow> rows = new ArrayList<>();
          try (InputStream in = fs.open(p)) {
            Workbooks.rows(in, t.layout().sheet(), rows::add);
          }
          sheetRows = rows.iterator();
          return;
        }
        InputStream in = fs.open(p);
        reader = CsvText.open(in, t.layout());
        records = reader.iterator();
        // The header: the first record that is not blank.
        while (records.hasNext()) {
          if (!CsvText.blank(records.next())) {
            break;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + t.path() + ": " + e.getMessage(), e);
      }
    }

    private void close() {
      sheetRows = null;
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot close " + task.path(), e);
        } finally {
          reader = null;
          records = null;
        }
      }
    }
  }

  /**
   * A sheet row's cells to the header's width: a spreadsheet row has every column, and a cell
   * without a value is an empty field.
   */
  static List<String> padded(List<String> cells, int width) {
    if (cells.size() >= width) {
      return cells;
    }
    List<String> out = new ArrayList<>(cells);
    while (out.size() < width) {
      out.add("");
    }
    return out;
  }

  /**
   * One bronze row: lineage, then each field in its column (empty fields are null); {@code line} is
   * the physical line the record starts on (a sheet's row number).
   */
  static Row row(ParseTask t, List<String> fieldsRead, long line) {
    int lineage = LINEAGE.fields().length;
    Object[] v = new Object[lineage + t.width()];
    int expected = t.target().length;
    int n = fieldsRead.size();
    int fields = n;
    while (fields > expected && fieldsRead.get(fields - 1).isBlank()) {
      fields--;
    }
    if (fields < expected) {
      boolean restBlankNamed = true;
      for (int i = fields; i < expected; i++) {
        restBlankNamed &= t.blankName()[i];
      }
      if (restBlankNamed) {
        fields = expected;
      }
    }
    for (int i = 0; i < Math.min(n, expected); i++) {
      String f = fieldsRead.get(i);
      v[lineage + t.target()[i]] = f.isEmpty() ? null : f;
    }
    List<String> extra = null;
    if (fields > expected) {
      extra = new ArrayList<>(fieldsRead.subList(expected, fields));
    }
    v[0] = t.batchId();
    v[1] = t.fileId();
    v[2] = t.path();
    v[3] = line;
    v[4] = t.format();
    v[5] = new Timestamp(t.ingestedAt());
    v[6] = fields;
    v[7] = expected;
    v[8] = extra == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(extra).toList();
    return RowFactory.create(v);
  }
}
