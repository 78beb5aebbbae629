package org.metalslake.ingest.prices;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.FxRatesConformer;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/** Exchange rates: {@code date, base_currency, quote_currency, rate} (optional {@code source}). */
public final class FxRatesFormat implements SourceFormat {
  @Override
  public String name() {
    return "fx-rates";
  }

  @Override
  public String expectedHeader() {
    return "date,base_currency,quote_currency,rate";
  }

  @Override
  public TableId bronzeTable() {
    return Tables.PRICES_RAW;
  }

  @Override
  public boolean matches(List<String> header) {
    return header.containsAll(List.of("date", "base_currency", "quote_currency", "rate"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    return Map.of(Tables.FX_RATES, FxRatesConformer.conform(bronze));
  }
}
