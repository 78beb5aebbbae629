package org.metalslake.conform;

import java.util.List;
import java.util.Map;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/** A silver table: its natural key (for de-duplication and revisions) and its documentation. */
public record SilverTable(TableId id, List<String> key, TableDoc doc) {
  public static final Map<TableId, SilverTable> ALL =
      Map.of(
          Tables.PRODUCTION,
          new SilverTable(Tables.PRODUCTION, ProductionConformer.KEY, ProductionConformer.DOC),
          Tables.TRADE_FLOWS,
          new SilverTable(Tables.TRADE_FLOWS, TradeConformer.KEY, TradeConformer.DOC),
          Tables.STOCKS,
          new SilverTable(Tables.STOCKS, StocksConformer.KEY, StocksConformer.DOC),
          Tables.PUBLISHED_BALANCE,
          new SilverTable(Tables.PUBLISHED_BALANCE, PublishedBalance.KEY, PublishedBalance.DOC),
          Tables.CAPACITY,
          new SilverTable(Tables.CAPACITY, CapacityConformer.KEY, CapacityConformer.DOC),
          Tables.COUNTRY_CAPACITY,
          new SilverTable(Tables.COUNTRY_CAPACITY, CountryCapacity.KEY, CountryCapacity.DOC),
          Tables.PRICES,
          new SilverTable(Tables.PRICES, PricesConformer.KEY, PricesConformer.DOC),
          Tables.FX_RATES,
          new SilverTable(Tables.FX_RATES, FxRatesConformer.KEY, FxRatesConformer.DOC),
          Tables.TRADE_COUNTRY_CODES,
          new SilverTable(
              Tables.TRADE_COUNTRY_CODES, TradeCountryCodes.KEY, TradeCountryCodes.DOC));

  public static SilverTable of(TableId id) {
    SilverTable t = ALL.get(id);
    if (t == null) {
      throw new IllegalArgumentException("no silver table " + id);
    }
    return t;
  }
}
