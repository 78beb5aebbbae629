package org.metalslake.sources;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.metalslake.csv.ColumnKey;
import org.metalslake.ref.RefData;

/**
 * Price files laid out as one column per series (the Pink Sheet's codes, a FRED series id) and the
 * mapping of ref price_series.csv that says what each series is: metal, market, series, currency,
 * unit. A series column is matched to a mapping row by {@link ColumnKey} ({@code PCOPPUSDM} and the
 * bronze column {@code pcoppusdm}, {@code CRUDE_PETRO} and {@code crude_petro}).
 */
public final class PriceSeries {
  private PriceSeries() {}

  /**
   * The mapping rows of one source: {@code m_key} (the series id's key), {@code m_id, m_metal,
   * m_market, m_series, m_currency, m_unit, m_unit_reported, m_freq, m_name}.
   */
  public static Dataset<Row> mapping(Dataset<Row> like, RefData ref, String source) {
    List<Row> rows = new ArrayList<>();
    for (Map<String, String> m : ref.priceSeries()) {
      if (m.get("source").equals(source)) {
        rows.add(
            RowFactory.create(
                ColumnKey.of(m.get("series_id")),
                m.get("series_id"),
                m.get("metal"),
                m.get("market"),
                m.get("series"),
                m.get("currency"),
                m.get("unit"),
                m.get("unit_reported"),
                m.get("freq"),
                m.get("name")));
      }
    }
    return like.sparkSession()
        .createDataFrame(
            rows,
            StructType.fromDDL(
                "m_key STRING, m_id STRING, m_metal STRING, m_market STRING, m_series STRING,"
                    + " m_currency STRING, m_unit STRING, m_unit_reported STRING, m_freq STRING,"
                    + " m_name STRING"));
  }

  /**
   * Bronze records with one row per series cell that has a value: {@code __col} (the bronze
   * column), {@code __key} (its key) and {@code __raw}; a record with no such cell keeps one row
   * with them null. Columns starting with an underscore and {@code fixed} are not series.
   */
  public static Dataset<Row> cells(Dataset<Row> bronze, List<String> fixed) {
    List<Column> cells = new ArrayList<>();
    for (String c : bronze.columns()) {
      if (!c.startsWith("_") && !fixed.contains(c)) {
        cells.add(
            struct(lit(c).as("col"), lit(ColumnKey.of(c)).as("key"), col("`" + c + "`").as("raw")));
      }
    }
    Column all =
        cells.isEmpty()
            ? array().cast("array<struct<col:string,key:string,raw:string>>")
            : array(cells.toArray(new Column[0]));
    return bronze
        .withColumn("__cell", explode_outer(filter(all, c -> c.getField("raw").isNotNull())))
        .withColumn("__col", col("__cell.col"))
        .withColumn("__key", col("__cell.key"))
        .withColumn("__raw", col("__cell.raw"))
        .drop("__cell");
  }
}
