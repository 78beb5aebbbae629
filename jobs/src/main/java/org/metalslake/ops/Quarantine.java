package org.metalslake.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.metalslake.conform.Duplicates;
import org.metalslake.conform.Outcome;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.TableWrites;
import org.metalslake.storage.Tables;

/**
 * {@code ops.quarantine}: the input records that did not become silver facts, each with its reason
 * and the record as it was read. Replaced per file, so a rerun of a file replaces its rows.
 */
public final class Quarantine {
  private Quarantine() {}

  public static final StructType SCHEMA =
      StructType.fromDDL(
          "_batch_id STRING, _file_id STRING, _source_file STRING, _line BIGINT, _format STRING,"
              + " target_table STRING, severity STRING, reason STRING,"
              + " record MAP<STRING, STRING>, _quarantined_at TIMESTAMP");

  public static final TableDoc DOC =
      TableDoc.of(
              "Input records that did not become silver facts, each with the reason; severity"
                  + " 'skipped' marks records outside the product's scope")
          .column("_source_file", "File the record came from")
          .column("_line", "Physical line in that file (the header is line 1)")
          .column("target_table", "Silver table the record was meant for")
          .column("severity", "error (bad input) or skipped (outside scope, counted not lost)")
          .column("reason", "Why the record was quarantined; several reasons joined by '; '")
          .column("record", "The record as read: source column → raw value");

  /**
   * Replaces the quarantine rows of {@code fileIds} with the judged rows that carry a reason
   * ({@code judged}: every silver table's candidate rows, with {@code _target}), each with its raw
   * record read again from {@code bronzeByFormat} (format name → the batch's bronze rows).
   */
  public static void write(
      Lake lake,
      List<Dataset<Row>> judged,
      Map<String, Dataset<Row>> bronzeByFormat,
      List<String> fileIds,
      Timestamp now) {
    // Each quarantine column from the judged rows' column of the same name, or from these.
    Map<String, Column> from =
        Map.of(
            "target_table", col("_target"),
            "severity", col("_severity"),
            "reason", col("_reason"),
            "_quarantined_at", lit(now));
    Column[] columns =
        Arrays.stream(SCHEMA.fieldNames())
            .filter(c -> !c.equals("record"))
            .map(c -> from.getOrDefault(c, col(c)).as(c))
            .toArray(Column[]::new);
    Dataset<Row> bad = null;
    for (Dataset<Row> f : judged) {
      Dataset<Row> q = f.filter(col("_reason").isNotNull()).select(columns);
      bad = bad == null ? q : bad.unionByName(q);
    }
    lake.writes()
        .replaceWhere(
            withRecords(bad, bronzeByFormat),
            Tables.QUARANTINE,
            Lake.inList("_file_id", fileIds),
            DOC,
            TableWrites.PER_FILE_RECORDS);
  }

  /**
   * Quarantine rows with the raw record of each, read again from bronze for just those records. The
   * quarantine rows (the bad ones only: few beside the batch) are materialised once, so each
   * format's join sees a small table instead of the whole conform plan again; a format without bad
   * rows is not read at all, and each format's rows are broadcast to its bronze table when they are
   * few.
   */
  static Dataset<Row> withRecords(Dataset<Row> quarantine, Map<String, Dataset<Row>> bronze) {
    Dataset<Row> bad = quarantine.localCheckpoint(true);
    Map<String, Long> perFormat = new HashMap<>();
    for (Row r : bad.groupBy("_format").count().collectAsList()) {
      perFormat.put(r.getString(0), r.getLong(1));
    }
    Column[] columns = Arrays.stream(SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> out =
        bad.limit(0).withColumn("record", lit(null).cast("map<string,string>")).select(columns);
    for (Map.Entry<String, Dataset<Row>> e : bronze.entrySet()) {
      long n = perFormat.getOrDefault(e.getKey(), 0L);
      if (n == 0) {
        continue;
      }
      // The bronze columns under other names, so that the record is built after the join, for
      // the quarantine rows alone, not for every record of the batch.
      Dataset<Row> b = Outcome.recordColumns(e.getValue(), "__r_");
      Dataset<Row> rows = bad.filter(col("_format").equalTo(e.getKey()));
      if (n <= Duplicates.BROADCAST_LIMIT) {
        rows = org.apache.spark.sql.functions.broadcast(rows);
      }
      Dataset<Row> joined =
          b.join(
                  rows,
                  col("_file_id").equalTo(col("__rf")).and(col("_line").equalTo(col("__rl"))),
                  "inner")
              .withColumn("record", Outcome.record(e.getValue(), "__r_"))
              .select(columns);
      out = out.unionByName(joined);
    }
    return out;
  }
}
