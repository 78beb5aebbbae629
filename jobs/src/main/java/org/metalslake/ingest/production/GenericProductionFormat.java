package org.metalslake.ingest.production;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

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
    Dataset<Row> candidates = ProductionConformer.candidates(bronze, Map.of());
    return Map.of(Tables.PRODUCTION, ProductionConformer.conform(candidates, ref));
  }
}
