package org.metalslake.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.storage.TableDoc;

/** {@code gold.production_growth}: monthly, quarterly and annual production with YoY and YTD. */
public final class ProductionGrowth {
  private ProductionGrowth() {}

  public static final List<String> KEYS =
      List.of("metal", "stage", "country_iso3", "region", "basis", "source");

  public static final TableDoc DOC =
      GoldDocs.growth(
          TableDoc.of(
                  "Production with year-on-year growth, year-to-date and annual totals, per metal,"
                      + " stage, country and source; quantities in metric tonnes. World (WLD) and"
                      + " other-countries (XOC) rows are separate series, never sums of countries.")
              .column("metal", "Metal code from ref.metals")
              .column("stage", "Stage code from ref.stages")
              .column("country_iso3", "ISO3; WLD world total, XOC other countries")
              .column("region", "Sub-national region, null for national figures")
              .column("basis", "gross, metal_content or oxide_equivalent")
              .column("source", "Publisher of the figures")
              .column("published_yoy_pct", "YoY change as published by the source, percent")
              .column("published_ytd_yoy_pct", "YTD change as published by the source, percent")
              .column("flags", "e estimated, W withheld, p provisional, r revised"));

  /** The series values of silver production, in the shape {@link Growth} expects. */
  public static Dataset<Row> values(Dataset<Row> silverProduction) {
    return silverProduction.select(
        col("metal"),
        col("stage"),
        col("country_iso3"),
        col("region"),
        col("basis"),
        col("source"),
        col("freq"),
        col("year"),
        coalesce(col("month"), col("quarter")).as("sub"),
        col("months_covered"),
        col("quantity_t").as("value_t"),
        col("ytd_t").as("ytd_pub_t"),
        col("published_yoy_pct"),
        col("published_ytd_yoy_pct"),
        lit("").as("comp"),
        col("flags"));
  }

  public static Dataset<Row> compute(Dataset<Row> silverProduction) {
    return Growth.compute(values(silverProduction), KEYS).drop("comp");
  }
}
