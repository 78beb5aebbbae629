package org.metalslake.sources.generic;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.TradeConformer;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The generic long trade format: {@code period, reporter, partner, flow, commodity, quantity, unit,
 * basis, value_usd} (basis, value_usd, source, flag, release optional). {@code commodity} is an HS
 * code; {@code basis} defaults to gross weight, converted to metal content with the code's factor
 * in ref.hs_commodities.
 */
public final class GenericTradeFormat extends BasicFormat {
  static final List<String> REQUIRED =
      List.of("period", "reporter", "partner", "flow", "commodity", "quantity", "unit");

  public GenericTradeFormat() {
    super(
        "generic-trade",
        "period,reporter,partner,flow,commodity,quantity,unit,basis,value_usd",
        Tables.TRADE_RAW,
        TradeConformer.SOURCE_COLUMNS);
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(REQUIRED);
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    return Map.of(
        Tables.TRADE_FLOWS,
        TradeConformer.conform(TradeConformer.candidates(bronze, Map.of()), ref));
  }
}
