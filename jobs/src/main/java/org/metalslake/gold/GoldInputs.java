package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * What the gold transforms read: the silver tables, each read once and cached, and the
 * intermediates several tables share, computed once for all of them (the trade flows on their
 * balance basis, and those flows with annual rows beside the monthly ones). {@link #release} frees
 * them when the tables are written. Inputs for a rebuild by years ({@link GoldTable.Years}) hold
 * only the input rows of the years that rebuild reads.
 */
public final class GoldInputs {
  private final Lake lake;
  private final GoldTable.Years years;
  private final java.util.Map<TableId, Dataset<Row>> scoped = new java.util.HashMap<>();
  private final List<Dataset<Row>> shared = new ArrayList<>();
  private Dataset<Row> tradeFlows;
  private Dataset<Row> annualTradeFlows;

  public GoldInputs(Lake lake) {
    this(lake, null);
  }

  /** The inputs of a rebuild by {@code years}; every input table then has a {@code period}. */
  public GoldInputs(Lake lake, GoldTable.Years years) {
    this.lake = lake;
    this.years = years;
  }

  /** A silver (or earlier gold) table, cached for the transforms that read it. */
  public synchronized Dataset<Row> table(TableId t) {
    if (years == null) {
      return lake.readCached(t);
    }
    return scoped.computeIfAbsent(t, x -> kept(inYears(x, lake.read(x))));
  }

  /** {@link #table}, or null when the table does not exist. */
  public Dataset<Row> tableIfExists(TableId t) {
    return lake.exists(t) ? table(t) : null;
  }

  /**
   * The rows whose period (which starts with its year) is in a year the rebuild reads: on a table
   * partitioned by year ({@link Tables#BY_YEAR}), a filter on that column, so that only those
   * partitions are read.
   */
  private Dataset<Row> inYears(TableId t, Dataset<Row> df) {
    if (years == null) {
      return df;
    }
    if (Tables.BY_YEAR.contains(t)) {
      return df.filter(col("year").isin(years.read().toArray()));
    }
    return df.filter(
        col("period").substr(1, 4).isin(years.read().stream().map(String::valueOf).toArray()));
  }

  /** silver.trade_flows on one basis per flow ({@link TradeTotals#withBalanceQuantity}). */
  public synchronized Dataset<Row> tradeFlows() {
    if (tradeFlows == null) {
      // Read from the table, not its cached copy: these flows are the one thing the trade
      // transforms read of silver.trade_flows, and caching both would build the cache twice.
      tradeFlows =
          kept(
              TradeTotals.withBalanceQuantity(
                  inYears(Tables.TRADE_FLOWS, lake.read(Tables.TRADE_FLOWS))));
    }
    return tradeFlows;
  }

  /** The monthly and annual {@link #tradeFlows} with annual rows ({@link TradeTotals#annual}). */
  public synchronized Dataset<Row> annualTradeFlows() {
    if (annualTradeFlows == null) {
      annualTradeFlows = kept(TradeTotals.annual(tradeFlows()));
    }
    return annualTradeFlows;
  }

  private Dataset<Row> kept(Dataset<Row> df) {
    Dataset<Row> cached = df.persist(StorageLevel.MEMORY_AND_DISK());
    shared.add(cached);
    return cached;
  }

  /** Frees the shared intermediates and the cached tables. */
  public synchronized void release() {
    shared.forEach(Dataset::unpersist);
    shared.clear();
    scoped.clear();
    tradeFlows = null;
    annualTradeFlows = null;
    lake.uncache();
  }
}
