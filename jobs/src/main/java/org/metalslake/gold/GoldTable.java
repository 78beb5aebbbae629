package org.metalslake.gold;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.config.Settings;
import org.metalslake.ref.RefData;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * A gold table: the silver tables it reads (all of which must exist, and the optional ones read
 * when they do) and the pure transform that builds it. Gold is rebuilt from silver in one Delta
 * commit whenever one of its inputs changed, whole or, for the tables that allow it ({@link
 * #byYears}), in the years the change can reach, so it always equals the transform of the current
 * silver, whatever the order of past runs.
 */
public record GoldTable(
    TableId id,
    List<TableId> required,
    List<TableId> optional,
    List<TableId> anyOf,
    Builder build,
    TableDoc doc) {

  public GoldTable(
      TableId id, List<TableId> required, List<TableId> optional, Builder build, TableDoc doc) {
    this(id, required, optional, List.of(), build, doc);
  }

  /** Builds the table's rows from the lake's silver tables and the shared intermediates. */
  @FunctionalInterface
  public interface Builder {
    Dataset<Row> apply(GoldInputs in, RefData ref, Settings settings);
  }

  /**
   * The columns that identify a row: a rebuild is merged on them, so unchanged rows are not
   * rewritten and the change data feed shows only what changed.
   */
  public List<String> key() {
    List<String> k = KEYS.get(id);
    if (k == null) {
      throw new IllegalStateException("no key for " + id);
    }
    return k;
  }

  // Each table's own key (the grouping its transform defines) and the column that tells its rows
  // apart within that grouping: period, partner or country.
  private static final java.util.Map<TableId, List<String>> KEYS =
      java.util.Map.of(
          Tables.PRODUCTION_GROWTH, with(ProductionGrowth.KEYS, "period"),
          Tables.GROUP_OUTPUT, with(GroupOutput.KEYS, "period"),
          Tables.TRADE_GROWTH, with(TradeGrowth.KEYS, "period"),
          Tables.IMPORT_SOURCES, with(ImportSources.GROUP, "partner_iso3"),
          Tables.SUPPLY_BALANCE, SupplyBalance.KEY,
          Tables.CAPACITY_UTILISATION, CapacityUtilisation.KEY,
          Tables.SUPPLY_CONCENTRATION, with(SupplyConcentration.GROUP, "country_iso3"),
          Tables.PRICE_TRENDS, with(PriceTrends.SERIES, "year", "month"));

  private static List<String> with(List<String> key, String... more) {
    return java.util.stream.Stream.concat(key.stream(), java.util.Arrays.stream(more)).toList();
  }

  /**
   * True when the table can be rebuilt by years: its rows of year Y read only input rows of years Y
   * and Y-1 (year-on-year changes, year-to-date and annual sums within a year, partner shares of a
   * year, stock changes against the prior year-end or month), and it has a {@code year} column. A
   * batch that touches input years T then changes only its rows of T and T+1, computed from the
   * inputs of T-1 … T+1 ({@link Years}).
   */
  public boolean byYears() {
    return BY_YEARS.contains(id);
  }

  private static final java.util.Set<TableId> BY_YEARS =
      java.util.Set.of(Tables.TRADE_GROWTH, Tables.IMPORT_SOURCES, Tables.SUPPLY_BALANCE);

  /**
   * The years a rebuild by years covers: the years {@code touched} in the inputs, the rows it
   * changes ({@link #rebuilt}: T and T+1) and the input rows those read ({@link #read}: T-1 … T+1).
   */
  public record Years(java.util.SortedSet<Integer> touched) {
    public java.util.SortedSet<Integer> rebuilt() {
      java.util.SortedSet<Integer> out = new java.util.TreeSet<>(touched);
      touched.forEach(y -> out.add(y + 1));
      return out;
    }

    public java.util.SortedSet<Integer> read() {
      java.util.SortedSet<Integer> out = new java.util.TreeSet<>(rebuilt());
      rebuilt().forEach(y -> out.add(y - 1));
      return out;
    }
  }

  /** The silver tables whose touched years a rebuild by years needs. */
  public static java.util.Set<TableId> byYearsInputs() {
    return ALL.stream()
        .filter(GoldTable::byYears)
        .flatMap(g -> g.inputs().stream())
        .collect(java.util.stream.Collectors.toSet());
  }

  /** Every input: a change to any of them rebuilds the table. */
  public List<TableId> inputs() {
    return java.util.stream.Stream.of(required, optional, anyOf)
        .flatMap(List::stream)
        .distinct()
        .toList();
  }

  /** True when the table can be built: all required inputs exist, and one of {@code anyOf}. */
  public boolean inputsExist(Lake lake) {
    return required.stream().allMatch(lake::exists)
        && (anyOf.isEmpty() || anyOf.stream().anyMatch(lake::exists));
  }

  public static final List<GoldTable> ALL =
      List.of(
          new GoldTable(
              Tables.PRODUCTION_GROWTH,
              List.of(Tables.PRODUCTION),
              List.of(),
              (in, ref, settings) -> ProductionGrowth.compute(in.table(Tables.PRODUCTION)),
              ProductionGrowth.DOC),
          new GoldTable(
              Tables.GROUP_OUTPUT,
              List.of(Tables.PRODUCTION),
              List.of(),
              (in, ref, settings) -> GroupOutput.compute(in.table(Tables.PRODUCTION), ref.groups()),
              GroupOutput.DOC),
          new GoldTable(
              Tables.TRADE_GROWTH,
              List.of(Tables.TRADE_FLOWS),
              List.of(),
              (in, ref, settings) -> TradeGrowth.fromFlows(in.tradeFlows()),
              TradeGrowth.DOC),
          new GoldTable(
              Tables.IMPORT_SOURCES,
              List.of(Tables.TRADE_FLOWS),
              List.of(),
              (in, ref, settings) -> ImportSources.fromFlows(in.annualTradeFlows()),
              ImportSources.DOC),
          new GoldTable(
              Tables.SUPPLY_BALANCE,
              List.of(Tables.TRADE_FLOWS),
              List.of(Tables.PRODUCTION, Tables.STOCKS, Tables.PUBLISHED_BALANCE),
              (in, ref, settings) ->
                  SupplyBalance.fromFlows(
                      in.tableIfExists(Tables.PRODUCTION),
                      in.annualTradeFlows(),
                      in.tableIfExists(Tables.STOCKS),
                      in.tableIfExists(Tables.PUBLISHED_BALANCE),
                      settings.balanceSourcePriority()),
              SupplyBalance.DOC),
          // Reads gold.supply_balance: built after it (the pipeline builds gold in dependency
          // order).
          new GoldTable(
              Tables.CAPACITY_UTILISATION,
              List.of(),
              List.of(Tables.PRODUCTION, Tables.SUPPLY_BALANCE),
              List.of(Tables.CAPACITY, Tables.COUNTRY_CAPACITY),
              (in, ref, settings) ->
                  CapacityUtilisation.compute(
                      in.tableIfExists(Tables.CAPACITY),
                      in.tableIfExists(Tables.COUNTRY_CAPACITY),
                      in.tableIfExists(Tables.PRODUCTION),
                      in.tableIfExists(Tables.SUPPLY_BALANCE),
                      settings.capacitySourcePriority(),
                      settings.balanceSourcePriority(),
                      settings.overcapacityThreshold()),
              CapacityUtilisation.DOC),
          new GoldTable(
              Tables.SUPPLY_CONCENTRATION,
              List.of(Tables.PRODUCTION),
              List.of(Tables.CAPACITY, Tables.CAPACITY_UTILISATION, Tables.SUPPLY_BALANCE),
              (in, ref, settings) ->
                  SupplyConcentration.compute(
                      in.tableIfExists(Tables.PRODUCTION),
                      in.tableIfExists(Tables.CAPACITY),
                      in.tableIfExists(Tables.CAPACITY_UTILISATION),
                      in.tableIfExists(Tables.SUPPLY_BALANCE)),
              SupplyConcentration.DOC),
          new GoldTable(
              Tables.PRICE_TRENDS,
              List.of(Tables.PRICES),
              List.of(Tables.FX_RATES),
              (in, ref, settings) ->
                  PriceTrends.compute(
                      in.table(Tables.PRICES),
                      in.tableIfExists(Tables.FX_RATES),
                      settings.pricesConvertTo()),
              PriceTrends.DOC));
}
