package org.metalslake.sources.generic;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.CapacityConformer;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The generic plant-level capacity format: {@code plant_id, plant, company, owner_country, country,
 * region, metal, stage, capacity, unit, status, start_date, end_date} ({@code plant, company,
 * owner_country, region, start_date, end_date} may be empty; {@code basis}, {@code source} and
 * {@code release} are optional columns).
 */
public final class GenericCapacityFormat extends BasicFormat {
  public GenericCapacityFormat() {
    super(
        "generic-capacity",
        "plant_id,plant,company,owner_country,country,region,metal,stage,capacity,unit,status,"
            + "start_date,end_date",
        Tables.CAPACITY_RAW,
        CapacityConformer.SOURCE_COLUMNS);
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(
        List.of("plant_id", "country", "metal", "stage", "capacity", "unit", "status"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    return Map.of(
        Tables.CAPACITY,
        CapacityConformer.conform(CapacityConformer.candidates(bronze, Map.of()), ref));
  }
}
