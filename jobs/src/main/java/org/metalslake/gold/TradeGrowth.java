package org.metalslake.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.storage.TableDoc;

/**
 * {@code gold.trade_growth}: imports and exports per reporter, metal and stage with year-on-year
 * growth, year-to-date and annual totals, by the same rules as production ({@link Growth}).
 */
public final class TradeGrowth {
  private TradeGrowth() {}

  public static final List<String> KEYS =
      List.of("source", "reporter_iso3", "flow", "metal", "stage", "basis");

  public static final TableDoc DOC =
      GoldDocs.growth(
          TableDoc.of(
                  "Trade per reporter, flow, metal and stage with year-on-year growth,"
                      + " year-to-date and annual totals; quantities in metric tonnes of metal"
                      + " content (basis gross where no content factor applies)")
              .column("source", "Trade dataset (comtrade, baci, …)")
              .column("reporter_iso3", "Reporting country (ISO3)")
              .column("flow", "M imports, X exports, RM re-imports, RX re-exports")
              .column("metal", "Metal code from ref.metals")
              .column("stage", "Stage of the traded commodities")
              .column("basis", "metal_content or gross")
              .column("published_yoy_pct", "Not published by trade sources; null")
              .column("published_ytd_yoy_pct", "Not published by trade sources; null")
              .column("flags", "Not used for trade; null"));

  public static Dataset<Row> compute(Dataset<Row> trade) {
    return fromFlows(TradeTotals.withBalanceQuantity(trade));
  }

  /** {@link #compute} from the flows on their balance basis ({@link GoldInputs#tradeFlows}). */
  static Dataset<Row> fromFlows(Dataset<Row> flows) {
    List<String> keys =
        List.of(
            "source",
            "reporter_iso3",
            "flow",
            "metal",
            "stage",
            "bal_basis",
            "freq",
            "year",
            "quarter",
            "month",
            "months_covered");
    Dataset<Row> byFlow = TradeTotals.byFlow(flows, keys.subList(0, keys.size() - 1));
    Dataset<Row> values =
        byFlow.select(
            col("source"),
            col("reporter_iso3"),
            col("flow"),
            col("metal"),
            col("stage"),
            col("bal_basis").as("basis"),
            col("freq"),
            col("year"),
            coalesce(col("month"), col("quarter")).as("sub"),
            col("months_covered").cast("int").as("months_covered"),
            col("value_t"),
            lit(null).cast("double").as("ytd_pub_t"),
            lit(null).cast("double").as("published_yoy_pct"),
            lit(null).cast("double").as("published_ytd_yoy_pct"),
            lit("").as("comp"),
            lit(null).cast("string").as("flags"));
    return Growth.compute(values, KEYS).drop("comp");
  }
}
