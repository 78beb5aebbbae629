package org.metalslake.ingest.prices;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.PricesConformer;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The generic price format: {@code date, metal, market, price, currency, unit} with optional {@code
 * series} (price, TC, RC, a grade), {@code basis}, {@code source} and {@code release}.
 */
public final class GenericPricesFormat implements SourceFormat {
  @Override
  public String name() {
    return "generic-prices";
  }

  @Override
  public String expectedHeader() {
    return "date,metal,market,price,currency,unit[,series,basis,source]";
  }

  @Override
  public TableId bronzeTable() {
    return Tables.PRICES_RAW;
  }

  @Override
  public boolean matches(List<String> header) {
    return header.containsAll(List.of("date", "metal", "market", "price", "unit"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    return Map.of(
        Tables.PRICES, PricesConformer.conform(PricesConformer.candidates(bronze, Map.of()), ref));
  }
}
