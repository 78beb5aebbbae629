package org.metalslake.ingest.production;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.conform.Reasons;
import org.metalslake.ingest.Fields;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.lake.TableId;
import org.metalslake.lake.Tables;
import org.metalslake.ref.RefData;

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
        bronze.select(
            GenericProductionFormat.concat(
                Fields.lineage(),
                Fields.get("period").as("period"),
                Fields.get("country").as("country"),
                Fields.get("region").as("region"),
                Fields.get("metal").as("metal"),
                Fields.get("stage").as("stage"),
                Fields.get("month_value").as("quantity"),
                Fields.get("ytd_value").as("ytd_quantity"),
                Fields.get("unit").as("unit"),
                Fields.get("basis").as("basis"),
                coalesce(Fields.get("source"), lit("bureau")).as("source"),
                Fields.get("flag").as("flag"),
                Fields.get("release").as("release"),
                Fields.get("yoy_pct").as("published_yoy"),
                Fields.get("ytd_yoy_pct").as("published_ytd_yoy"),
                Reasons.malformedLine().as("_pre_reason"),
                lit(null).cast("string").as("_skip_reason")));
    return Map.of(Tables.PRODUCTION, ProductionConformer.conform(candidates, ref));
  }
}
