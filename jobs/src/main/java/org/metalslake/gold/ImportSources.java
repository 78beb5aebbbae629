package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.gold.TradeTotals.toCols;
import static org.metalslake.gold.TradeTotals.toSeq;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.metalslake.storage.TableDoc;

/**
 * {@code gold.import_sources} (SPEC §6): per source, reporter, metal, stage, basis and year, each
 * partner's share of imports, and how concentrated the sources are (top-1, top-3 share, HHI).
 * Shares are of the sum over partners (areas n.e.s. included, World rows excluded); ranks, top-n
 * shares and the HHI are over named countries only.
 */
public final class ImportSources {
  private ImportSources() {}

  static final List<String> GROUP =
      List.of("source", "reporter_iso3", "metal", "stage", "basis", "year");

  public static final TableDoc DOC =
      TableDoc.of(
              "Where a country's imports of a metal come from, per year: partner shares and"
                  + " concentration; quantities in metric tonnes")
          .column("source", "Trade dataset (comtrade, baci, …)")
          .column("reporter_iso3", "Importing country (ISO3)")
          .column("metal", "Metal code from ref.metals")
          .column("stage", "Stage of the traded commodity")
          .column("basis", "metal_content, or gross where no content factor applies")
          .column("year", "Calendar year (reported annual figures, else the sum of the months)")
          .column("partner_iso3", "Partner (ISO3); XOC for areas not elsewhere specified")
          .column("imports_t", "Imports from this partner, metric tonnes")
          .column("imports_usd", "Imports from this partner, US dollars")
          .column("total_imports_t", "Imports from all partners, metric tonnes")
          .column("share_pct", "imports_t / total_imports_t * 100")
          .column("rank", "Rank of the partner by imports_t among named countries (1 = largest)")
          .column("top1_share_pct", "Share of the largest named partner, percent")
          .column("top3_share_pct", "Combined share of the three largest named partners, percent")
          .column(
              "hhi",
              "Herfindahl-Hirschman index of sources: sum of squared share_pct over named"
                  + " countries (0-10 000)")
          .column("partners", "Number of named partner countries with imports")
          .column("trade_months", "Months of data behind the year (12 = complete)");

  public static Dataset<Row> compute(Dataset<Row> trade) {
    return fromFlows(
        TradeTotals.annual(
            TradeTotals.withBalanceQuantity(trade.filter(col("flow").equalTo("M")))));
  }

  /**
   * {@link #compute} from the monthly and annual flows on their balance basis ({@link
   * GoldInputs#annualTradeFlows}); a flow's parent codes and annual rows are per flow, so taking
   * the imports first or last gives the same rows.
   */
  static Dataset<Row> fromFlows(Dataset<Row> annualFlows) {
    Dataset<Row> flows =
        annualFlows
            .filter(
                col("flow")
                    .equalTo("M")
                    .and(col("freq").equalTo("A"))
                    .and(col("partner_kind").notEqual("world")))
            .withColumnRenamed("bal_basis", "basis");
    List<String> line =
        List.of(
            "source",
            "reporter_iso3",
            "metal",
            "stage",
            "basis",
            "year",
            "partner_iso3",
            "partner_kind");
    Dataset<Row> byPartner =
        flows
            .groupBy(toCols(line))
            .agg(
                sum("bal_t").as("imports_t"),
                sum("value_usd").as("imports_usd"),
                max("months_covered").as("trade_months"))
            .filter(col("imports_t").isNotNull());
    WindowSpec group = Window.partitionBy(toCols(GROUP));
    Column named = col("partner_kind").equalTo("country");
    Dataset<Row> shares =
        byPartner
            .withColumn("total_imports_t", sum("imports_t").over(group))
            .withColumn(
                "share_pct",
                when(
                    col("total_imports_t").gt(0),
                    try_divide(col("imports_t"), col("total_imports_t")).multiply(100)))
            .withColumn(
                "rank",
                when(
                    named,
                    row_number()
                        .over(
                            Window.partitionBy(toCols(GROUP))
                                .orderBy(
                                    named.desc(), col("imports_t").desc(), col("partner_iso3")))));
    Dataset<Row> summary =
        shares
            .groupBy(toCols(GROUP))
            .agg(
                max(when(col("rank").equalTo(1), col("share_pct"))).as("top1_share_pct"),
                sum(when(col("rank").leq(3), col("share_pct"))).as("top3_share_pct"),
                sum(when(named, pow(col("share_pct"), 2))).as("hhi"),
                count(when(named.and(col("imports_t").gt(0)), lit(1))).as("partners"));
    return shares
        .join(summary, toSeq(GROUP))
        .select(
            col("source"),
            col("reporter_iso3"),
            col("metal"),
            col("stage"),
            col("basis"),
            col("year"),
            col("partner_iso3"),
            col("imports_t"),
            col("imports_usd"),
            col("total_imports_t"),
            col("share_pct"),
            col("rank").cast("int").as("rank"),
            col("top1_share_pct"),
            col("top3_share_pct"),
            col("hhi"),
            col("partners"),
            col("trade_months"));
  }
}
