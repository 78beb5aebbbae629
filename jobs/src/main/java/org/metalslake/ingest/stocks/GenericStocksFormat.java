package org.metalslake.ingest.stocks;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.StocksConformer;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The generic stocks format: {@code period, country, metal, stage, stock_level|stock_change, unit}
 * (either or both of the stock columns; {@code series}, {@code source}, {@code flag} optional).
 */
public final class GenericStocksFormat implements SourceFormat {
  @Override
  public String name() {
    return "generic-stocks";
  }

  @Override
  public String expectedHeader() {
    return "period,country,metal,stage,stock_level|stock_change,unit";
  }

  @Override
  public TableId bronzeTable() {
    return Tables.STOCKS_RAW;
  }

  @Override
  public boolean matches(List<String> header) {
    return header.containsAll(List.of("period", "country", "metal", "stage", "unit"))
        && (header.contains("stock_level") || header.contains("stock_change"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    return Map.of(
        Tables.STOCKS, StocksConformer.conform(StocksConformer.candidates(bronze, Map.of()), ref));
  }
}
