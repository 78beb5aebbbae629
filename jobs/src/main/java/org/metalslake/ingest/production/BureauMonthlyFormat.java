package org.metalslake.ingest.production;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.ingest.Fields;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ref.RefData;
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
public final class BureauMonthlyFormat implements SourceFormat {
  static final List<String> REQUIRED = List.of("period", "country", "metal", "stage", "unit");

  @Override
  public String name() {
    return "bureau-monthly";
  }

  @Override
  public String expectedHeader() {
    return "period,country,metal,stage,unit,month_value,ytd_value,yoy_pct,ytd_yoy_pct,source";
  }

  @Override
  public TableId bronzeTable() {
    return Tables.PRODUCTION_RAW;
  }

  @Override
  public boolean matches(List<String> header) {
    return header.containsAll(REQUIRED)
        && (header.contains("month_value") || header.contains("ytd_value"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> candidates =
        ProductionConformer.candidates(
            bronze,
            Map.of(
                "quantity", Fields.get("month_value"),
                "ytd_quantity", Fields.get("ytd_value"),
                "source", coalesce(Fields.get("source"), lit("bureau")),
                "published_yoy", Fields.get("yoy_pct"),
                "published_ytd_yoy", Fields.get("ytd_yoy_pct")));
    return Map.of(Tables.PRODUCTION, ProductionConformer.conform(candidates, ref));
  }
}
