package org.metalslake.sources.generic;

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
 * The generic long production format: {@code period, country, region, metal, stage, quantity, unit,
 * basis, source, flag} (region, basis, source, flag and an extra {@code release} optional).
 */
public final class GenericProductionFormat extends BasicFormat {
  static final List<String> REQUIRED =
      List.of("period", "country", "metal", "stage", "quantity", "unit");

  public GenericProductionFormat() {
    super(
        "generic-production",
        "period,country,region,metal,stage,quantity,unit,basis,source,flag",
        Tables.PRODUCTION_RAW,
        ProductionConformer.SOURCE_COLUMNS);
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(REQUIRED) && !header.has("month_value");
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> candidates = ProductionConformer.candidates(bronze, Map.of());
    return Map.of(Tables.PRODUCTION, ProductionConformer.conform(candidates, ref));
  }
}
