package org.metalslake.sources.generic;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * Monthly statistics as statistics bureaus publish them (China's NBS and others): the month's value
 * and/or the cumulative year-to-date value, with the published YoY changes. January and February
 * may come combined as one period written {@code YYYY-01/02}; when a month has only its cumulative
 * value, the month is derived from consecutive cumulative values in gold.
 *
 * <p>Header: {@code period, country, metal, stage, unit, month_value, ytd_value, yoy_pct,
 * ytd_yoy_pct, source} (region, yoy columns and source optional).
 */
public final class BureauMonthlyFormat extends BasicFormat {
  static final List<String> REQUIRED = List.of("period", "country", "metal", "stage", "unit");

  public BureauMonthlyFormat() {
    super(
        "bureau-monthly",
        "period,country,metal,stage,unit,month_value,ytd_value,yoy_pct,ytd_yoy_pct,source",
        Tables.BUREAU_MONTHLY_RAW,
        List.of(
            "period",
            "country",
            "region",
            "metal",
            "stage",
            "unit",
            "month_value",
            "ytd_value",
            "yoy_pct",
            "ytd_yoy_pct",
            "basis",
            "source",
            "flag",
            "release"));
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(REQUIRED) && (header.has("month_value") || header.has("ytd_value"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> candidates =
        ProductionConformer.candidates(
            bronze,
            Map.of(
                "quantity", col("month_value"),
                "ytd_quantity", col("ytd_value"),
                "source", coalesce(col("source"), lit("bureau")),
                "published_yoy", col("yoy_pct"),
                "published_ytd_yoy", col("ytd_yoy_pct")));
    return Map.of(Tables.PRODUCTION, ProductionConformer.conform(candidates, ref));
  }
}
