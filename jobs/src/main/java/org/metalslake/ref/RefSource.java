package org.metalslake.ref;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.metalslake.csv.CsvText;

/**
 * The reference files as read (each the file of its name in the override folder if there is one,
 * else the bundled copy) and what every dimension does with them: records checked for their field
 * count, frames, unique name keys and the broadcast join of a lookup.
 */
final class RefSource {
  private final SparkSession spark;
  private final Map<String, List<List<String>>> files;

  private RefSource(SparkSession spark, Map<String, List<List<String>>> files) {
    this.spark = spark;
    this.files = files;
  }

  /** Reads {@code names}, with files in {@code overrideDir} taking precedence. */
  static RefSource load(SparkSession spark, List<String> names, String overrideDir) {
    return load(
        spark,
        spark == null
            ? new org.apache.hadoop.conf.Configuration()
            : spark.sessionState().newHadoopConf(),
        names,
        overrideDir);
  }

  /**
   * Reads {@code names} through Hadoop's file system with {@code hadoop}'s settings, so the
   * override folder may be local, on S3 ({@code s3a://}) or on HDFS.
   */
  static RefSource load(
      SparkSession spark,
      org.apache.hadoop.conf.Configuration hadoop,
      List<String> names,
      String overrideDir) {
    requireFolder(hadoop, overrideDir);
    Map<String, List<List<String>>> files = new LinkedHashMap<>();
    for (String name : names) {
      files.put(name, rows(hadoop, name, overrideDir));
    }
    return new RefSource(spark, files);
  }

  /** See {@link RefData#rows(String, String)}. */
  static List<List<String>> rows(String name, String overrideDir) {
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    requireFolder(hadoop, overrideDir);
    return rows(hadoop, name, overrideDir);
  }

  private static List<List<String>> rows(
      org.apache.hadoop.conf.Configuration hadoop, String name, String overrideDir) {
    try {
      return CsvText.readAll(bytes(hadoop, name, overrideDir), null);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read reference file " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * A {@code ref.dir} that is set must be a folder: a misspelt one would otherwise fall back to the
   * bundled files without a word.
   */
  private static void requireFolder(org.apache.hadoop.conf.Configuration hadoop, String dir) {
    if (dir == null || dir.isBlank()) {
      return;
    }
    boolean folder;
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
      folder = p.getFileSystem(hadoop).getFileStatus(p).isDirectory();
    } catch (java.io.FileNotFoundException e) {
      folder = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ref.dir " + dir + ": " + e.getMessage(), e);
    }
    if (!folder) {
      throw new IllegalArgumentException(
          "ref.dir "
              + dir
              + " is not a folder (it does not exist, or is a file): set it to a folder of"
              + " reference CSV files (local, s3a:// or hdfs://), or leave it empty for the"
              + " bundled ones");
    }
  }

  private static byte[] bytes(
      org.apache.hadoop.conf.Configuration hadoop, String name, String overrideDir)
      throws IOException {
    if (overrideDir != null && !overrideDir.isBlank()) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(overrideDir, name);
      org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(hadoop);
      if (fs.isFile(p)) {
        try (InputStream in = fs.open(p)) {
          return in.readAllBytes();
        }
      }
    }
    try (InputStream in = RefSource.class.getClassLoader().getResourceAsStream("ref/" + name)) {
      if (in == null) {
        throw new IllegalStateException("bundled reference file missing: ref/" + name);
      }
      return in.readAllBytes();
    }
  }

  /** The rows of {@code file} as maps from (trimmed) header to trimmed value. */
  List<Map<String, String>> records(String file) {
    List<List<String>> rows = files.get(file);
    List<String> header = rows.get(0).stream().map(String::trim).toList();
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 1; i < rows.size(); i++) {
      List<String> r = rows.get(i);
      if (r.size() != header.size()) {
        throw new IllegalArgumentException(
            "reference file "
                + file
                + " line "
                + (i + 1)
                + ": expected "
                + header.size()
                + " fields, found "
                + r.size());
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int j = 0; j < header.size(); j++) {
        m.put(header.get(j), r.get(j).trim());
      }
      out.add(m);
    }
    return out;
  }

  Dataset<Row> frame(List<Row> rows, String ddl) {
    return spark.createDataFrame(rows, StructType.fromDDL(ddl));
  }

  /**
   * A digest of the files {@code sources} behind the table {@code table} and of the content-factor
   * overrides, to skip rewriting an unchanged table.
   */
  String fingerprint(String table, List<String> sources, Map<String, Double> factorOverrides) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      md.update(table.getBytes(StandardCharsets.UTF_8));
      for (String source : sources) {
        md.update(files.get(source).toString().getBytes(StandardCharsets.UTF_8));
      }
      md.update(factorOverrides.toString().getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names of a {@code |} list, trimmed, blanks left out. */
  static List<String> aliases(String field) {
    List<String> out = new ArrayList<>();
    if (field == null || field.isBlank()) {
      return out;
    }
    for (String a : field.split("\\|")) {
      if (!a.isBlank()) {
        out.add(a.trim());
      }
    }
    return out;
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /**
   * Adds a name key; a key already there for another code (the first value) is an error of {@code
   * file}.
   */
  static void putUnique(Map<String, String[]> map, String key, String[] value, String file) {
    String[] old = map.putIfAbsent(key, value);
    if (old != null && !old[0].equals(value[0])) {
      throw new IllegalArgumentException(
          "reference file "
              + file
              + ": name '"
              + key
              + "' is used for both "
              + old[0]
              + " and "
              + value[0]);
    }
  }

  /**
   * {@code df} left-joined with the broadcast {@code table}, of which the columns named in {@code
   * columnsAs} (pairs: column, name in the result) are kept under their new names, on {@code key}
   * equal to the first of them.
   */
  static Dataset<Row> lookup(Dataset<Row> df, Column key, Dataset<Row> table, String... columnsAs) {
    Column[] select = new Column[columnsAs.length / 2];
    for (int i = 0; i < select.length; i++) {
      select[i] = col(columnsAs[2 * i]).as(columnsAs[2 * i + 1]);
    }
    Dataset<Row> k = broadcast(table.select(select));
    return df.join(k, key.equalTo(k.col(columnsAs[1])), "left");
  }
}
