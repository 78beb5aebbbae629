package org.metalslake.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * {@code silver.vintages}: every release's value of every figure that comes with a release (USGS
 * MCS2022, MCS2024, …), one row per figure and release, in one long shape whatever silver table the
 * figure lives in. Silver keeps the latest release of a figure; this table keeps them all, so "what
 * did each release say" is one query:
 *
 * <pre>
 * select release, value from silver.vintages
 * where measure = 'apparent_consumption' and metal = 'CU' and period = '2021'
 * </pre>
 */
public final class Vintages {
  private Vintages() {}

  public static final List<String> KEY =
      List.of(
          "table_name",
          "source",
          "release",
          "country_iso3",
          "partner_iso3",
          "series",
          "metal",
          "stage",
          "basis",
          "measure",
          "period");

  public static final TableDoc DOC =
      TableDoc.of(
              "Every release's value of each released figure (silver keeps the latest release):"
                  + " one row per figure and release")
          .column("table_name", "The silver table the figure lives in (production, stocks, …)")
          .column("source", "Publisher or dataset of the figure")
          .column("release", "The release that published this value (MCS2022, MCS2024, …)")
          .column("country_iso3", "ISO3 of the country (the reporter for trade)")
          .column("partner_iso3", "Trade partner (WLD for world totals); null for other tables")
          .column(
              "series",
              "What else tells the figure apart: the trade commodity, the stock series, the"
                  + " region; empty when nothing")
          .column("metal", "Metal code from ref.metals")
          .column("stage", "Stage from ref.stages")
          .column("basis", "metal_content or gross")
          .column(
              "measure",
              "production, capacity, imports, exports, stock_level, stock_change,"
                  + " apparent_consumption, reported_consumption, nir, …")
          .column("period", "YYYY, YYYY-MM or YYYY-Qn")
          .column("value", "The value as this release published it: tonnes, or percent for nir")
          .column("value_text", "The figure as written where it is a code or bound (E, >75, W)")
          .column("unit", "t or pct")
          .column("flags", "Status flags of the figure (e estimated, W withheld, …)")
          .column("_source_file", "The file this release's value came from");

  /**
   * The figures of a silver table's facts in the vintage shape, for the facts that carry a release;
   * null for a table without released figures. Lineage columns ({@code _source_file}, {@code
   * _file_id}, {@code _line} and {@code __file_order} when present) are kept.
   */
  public static Dataset<Row> of(TableId table, Dataset<Row> facts) {
    Dataset<Row> released = facts.filter(col("release").isNotNull());
    List<Dataset<Row>> parts = new ArrayList<>();
    if (table.equals(Tables.PRODUCTION)) {
      parts.add(
          shape(
              released,
              table,
              col("country_iso3"),
              lit(null),
              col("region"),
              lit("production"),
              col("quantity_t"),
              lit(null),
              lit("t")));
    } else if (table.equals(Tables.COUNTRY_CAPACITY)) {
      parts.add(
          shape(
              released,
              table,
              col("country_iso3"),
              lit(null),
              col("region"),
              lit("capacity"),
              col("capacity_t"),
              lit(null),
              lit("t")));
    } else if (table.equals(Tables.TRADE_FLOWS)) {
      Column flow = col("flow");
      Column measure =
          when(flow.equalTo("M"), lit("imports"))
              .when(flow.equalTo("X"), lit("exports"))
              .when(flow.equalTo("RM"), lit("re_imports"))
              .otherwise(lit("re_exports"));
      parts.add(
          shape(
              released,
              table,
              col("reporter_iso3"),
              col("partner_iso3"),
              col("commodity_code"),
              measure,
              org.apache.spark.sql.functions.coalesce(col("metal_content_t"), col("gross_t")),
              lit(null),
              lit("t")));
    } else if (table.equals(Tables.STOCKS)) {
      for (String m : List.of("stock_level", "stock_change")) {
        parts.add(
            shape(
                released.filter(col(m + "_t").isNotNull()),
                table,
                col("country_iso3"),
                lit(null),
                col("series"),
                lit(m),
                col(m + "_t"),
                lit(null),
                lit("t")));
      }
    } else if (table.equals(Tables.PUBLISHED_BALANCE)) {
      parts.add(
          shape(
              released,
              table,
              col("country_iso3"),
              lit(null),
              lit(""),
              col("measure"),
              col("value"),
              col("value_text"),
              when(col("measure").equalTo("nir"), lit("pct")).otherwise(lit("t"))));
    } else {
      return null;
    }
    return parts.stream().reduce(Dataset::unionByName).orElseThrow();
  }

  private static Dataset<Row> shape(
      Dataset<Row> df,
      TableId table,
      Column country,
      Column partner,
      Column series,
      Column measure,
      Column value,
      Column text,
      Column unit) {
    List<Column> cols = new ArrayList<>();
    cols.add(lit(table.table()).as("table_name"));
    cols.add(col("source"));
    cols.add(col("release"));
    cols.add(country.cast("string").as("country_iso3"));
    cols.add(partner.cast("string").as("partner_iso3"));
    cols.add(org.apache.spark.sql.functions.coalesce(series.cast("string"), lit("")).as("series"));
    cols.add(col("metal"));
    cols.add(col("stage"));
    cols.add(col("basis"));
    cols.add(measure.as("measure"));
    cols.add(col("period"));
    cols.add(value.cast("double").as("value"));
    cols.add(text.cast("string").as("value_text"));
    cols.add(unit.as("unit"));
    cols.add(col("flags").cast("string").as("flags"));
    for (String lineage : List.of("_source_file", "_file_id", "_line", "__file_order")) {
      if (java.util.Arrays.asList(df.columns()).contains(lineage)) {
        cols.add(col(lineage));
      }
    }
    return df.select(cols.toArray(new Column[0]));
  }
}
