package org.metalslake.sources.generic;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.FxRatesConformer;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/** Exchange rates: {@code date, base_currency, quote_currency, rate} (optional {@code source}). */
public final class FxRatesFormat extends BasicFormat {
  public FxRatesFormat() {
    super(
        "fx-rates",
        "date,base_currency,quote_currency,rate",
        Tables.FX_RATES_RAW,
        List.of("date", "base_currency", "quote_currency", "rate", "source", "release"));
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(List.of("date", "base_currency", "quote_currency", "rate"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    return Map.of(Tables.FX_RATES, FxRatesConformer.conform(bronze));
  }
}
