package org.metalslake.sources.generic;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.PricesConformer;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The generic price format: {@code date, metal, market, price, currency, unit} with optional {@code
 * series} (price, TC, RC, a grade), {@code basis}, {@code source} and {@code release}.
 */
public final class GenericPricesFormat extends BasicFormat {
  public GenericPricesFormat() {
    super(
        "generic-prices",
        "date,metal,market,price,currency,unit[,series,basis,source]",
        Tables.PRICES_RAW,
        PricesConformer.SOURCE_COLUMNS);
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(List.of("date", "metal", "market", "price", "unit"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    return Map.of(
        Tables.PRICES, PricesConformer.conform(PricesConformer.candidates(bronze, Map.of()), ref));
  }
}
