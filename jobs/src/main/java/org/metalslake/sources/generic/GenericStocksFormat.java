package org.metalslake.sources.generic;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.StocksConformer;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The generic stocks format: {@code period, country, metal, stage, stock_level|stock_change, unit}
 * (either or both of the stock columns; {@code series}, {@code source}, {@code flag} optional).
 */
public final class GenericStocksFormat extends BasicFormat {
  public GenericStocksFormat() {
    super(
        "generic-stocks",
        "period,country,metal,stage,stock_level|stock_change,unit",
        Tables.STOCKS_RAW,
        StocksConformer.SOURCE_COLUMNS);
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(List.of("period", "country", "metal", "stage", "unit"))
        && (header.has("stock_level") || header.has("stock_change"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    return Map.of(
        Tables.STOCKS, StocksConformer.conform(StocksConformer.candidates(bronze, Map.of()), ref));
  }
}
