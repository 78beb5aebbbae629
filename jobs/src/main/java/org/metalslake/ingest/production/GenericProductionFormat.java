package org.metalslake.ingest.production;

import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
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
 * The generic long production format: {@code period, country, region, metal, stage, quantity, unit,
 * basis, source, flag} (region, basis, source, flag and an extra {@code release} optional).
 */
public final class GenericProductionFormat implements SourceFormat {
  static final List<String> REQUIRED =
      List.of("period", "country", "metal", "stage", "quantity", "unit");

  @Override
  public String name() {
    return "generic-production";
  }

  @Override
  public String expectedHeader() {
    return "period,country,region,metal,stage,quantity,unit,basis,source,flag";
  }

  @Override
  public TableId bronzeTable() {
    return Tables.PRODUCTION_RAW;
  }

  @Override
  public boolean matches(List<String> header) {
    return header.containsAll(REQUIRED) && !header.contains("month_value");
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> candidates =
        bronze.select(
            concat(
                Fields.lineage(),
                Fields.get("period").as("period"),
                Fields.get("country").as("country"),
                Fields.get("region").as("region"),
                Fields.get("metal").as("metal"),
                Fields.get("stage").as("stage"),
                Fields.get("quantity").as("quantity"),
                lit(null).cast("string").as("ytd_quantity"),
                Fields.get("unit").as("unit"),
                Fields.get("basis").as("basis"),
                Fields.get("source").as("source"),
                Fields.get("flag").as("flag"),
                Fields.get("release").as("release"),
                lit(null).cast("string").as("published_yoy"),
                lit(null).cast("string").as("published_ytd_yoy"),
                Reasons.malformedLine().as("_pre_reason"),
                lit(null).cast("string").as("_skip_reason")));
    return Map.of(Tables.PRODUCTION, ProductionConformer.conform(candidates, ref));
  }

  static Column[] concat(Column[] head, Column... tail) {
    Column[] out = new Column[head.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }
}
