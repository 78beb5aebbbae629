package org.metalslake.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.metalslake.storage.TableDoc;

/**
 * Raw records with lineage: one row per input record, every source column kept as the string it
 * was, keyed by the source's own column name in {@code record}.
 */
public final class Bronze {
  private Bronze() {}

  public static final StructType SCHEMA =
      StructType.fromDDL(
          "_batch_id STRING, _file_id STRING, _source_file STRING, _line BIGINT, _format STRING,"
              + " _ingested_at TIMESTAMP, _fields INT, _expected_fields INT,"
              + " record MAP<STRING, STRING>");

  public static final TableDoc DOC =
      TableDoc.of(
              "Raw input records, one row per record, append-only; every source column kept as a"
                  + " string in `record`")
          .column("_batch_id", "Run that ingested the record")
          .column("_file_id", "SHA-256 of the source file's content")
          .column("_source_file", "Path of the source file when it was ingested")
          .column("_line", "Physical line number in the source file (the header is line 1)")
          .column("_format", "Input format recognised from the header")
          .column("_ingested_at", "When the record was ingested (UTC)")
          .column("_fields", "Number of fields found on the line")
          .column("_expected_fields", "Number of columns in the file's header")
          .column("record", "Source column name → raw value as read (null when empty)");

  /**
   * Reads one CSV file (UTF-8 with or without BOM, CRLF or LF, gzip by extension) into bronze rows.
   * Physical line numbers are kept; blank lines carry no record and are dropped.
   */
  public static Dataset<Row> read(
      SparkSession spark, LandedFile file, List<String> header, String batchId, Timestamp now) {
    Dataset<Row> text = spark.read().text(file.path());
    JavaRDD<Row> numbered =
        text.javaRDD().zipWithIndex().map(t -> RowFactory.create(t._2() + 1, t._1().getString(0)));
    Dataset<Row> lines =
        spark
            .createDataFrame(
                numbered,
                new StructType()
                    .add("_line", DataTypes.LongType, false)
                    .add("value", DataTypes.StringType))
            .filter(col("_line").gt(1).and(trim(col("value")).notEqual("")));

    List<String> names = uniqueNames(header);
    StructType csvSchema = new StructType();
    for (int i = 0; i < names.size(); i++) {
      csvSchema = csvSchema.add("c" + i, DataTypes.StringType);
    }
    List<Column> keys = new ArrayList<>();
    List<Column> values = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      keys.add(lit(names.get(i)));
      values.add(col("__p.c" + i));
    }
    // Fields on the line: commas outside quoted sections, plus one.
    Column unquoted = regexp_replace(col("value"), "\"[^\"]*\"", "");
    Column fields =
        length(unquoted).minus(length(regexp_replace(unquoted, ",", ""))).plus(1).cast("int");
    return lines
        .withColumn(
            "__p", from_csv(col("value"), lit(csvSchema.toDDL()), Map.of("mode", "PERMISSIVE")))
        .select(
            lit(batchId).as("_batch_id"),
            lit(file.fileId()).as("_file_id"),
            lit(file.path()).as("_source_file"),
            col("_line"),
            lit(file.format().name()).as("_format"),
            lit(now).as("_ingested_at"),
            fields.as("_fields"),
            lit(names.size()).as("_expected_fields"),
            map_from_arrays(
                    array(keys.toArray(new Column[0])), array(values.toArray(new Column[0])))
                .as("record"));
  }

  /** Header names made unique and non-empty (a blank trailing header becomes {@code _c12}). */
  static List<String> uniqueNames(List<String> header) {
    List<String> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i).trim();
      if (h.isEmpty()) {
        h = "_c" + i;
      }
      String name = h;
      int n = 2;
      while (!seen.add(name)) {
        name = h + "_" + n++;
      }
      out.add(name);
    }
    return out;
  }
}
