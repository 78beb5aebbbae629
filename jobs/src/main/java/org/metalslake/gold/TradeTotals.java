package org.metalslake.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Trade flows in the shape the trade aggregates share: one quantity per flow on one basis (metal
 * content when the commodity has a content factor or was reported as metal content, else gross
 * weight), and annual values for flows reported by month.
 */
final class TradeTotals {
  private TradeTotals() {}

  /**
   * Adds {@code bal_basis} and {@code bal_t}, the quantity on that basis, to the flows at the most
   * detailed code reported ({@link #withoutParents}).
   */
  static Dataset<Row> withBalanceQuantity(Dataset<Row> trade) {
    Column content = col("content_factor").isNotNull().or(col("basis").equalTo("metal_content"));
    return withoutParents(trade)
        .withColumn("bal_basis", when(content, lit("metal_content")).otherwise(lit("gross")))
        .withColumn("bal_t", when(content, col("metal_content_t")).otherwise(col("gross_t")));
  }

  /** The keys that say two flows are the same flow, but for the commodity code. */
  private static final List<String> FLOW =
      List.of("source", "reporter_iso3", "partner_iso3", "flow", "period");

  /**
   * The flows without the HS headings whose subheadings are in the table too: a heading reported at
   * 4 digits (Comtrade's {@code isLeaf} false, as in a download at that level) is a fact, but when
   * its 6-digit codes are there for the same source, reporter, partner, flow and period they carry
   * the same trade, and the heading is never added to them. Headings are few: they are found first,
   * and the table is only joined when there are some.
   */
  static Dataset<Row> withoutParents(Dataset<Row> trade) {
    Column heading = col("commodity_code").rlike("^[0-9]{4}$");
    List<String> parentKey = new ArrayList<>(FLOW);
    parentKey.add("__heading");
    Dataset<Row> headings =
        trade.filter(heading).select(flowCols("commodity_code").toArray(new Column[0])).distinct();
    if (headings.isEmpty()) {
      return trade;
    }
    Dataset<Row> sub =
        trade
            .filter(col("commodity_code").rlike("^[0-9]{6}$"))
            .select(flowCols("substring(commodity_code, 1, 4)").toArray(new Column[0]));
    // The keys both have: the subheadings stream past the broadcast headings.
    Dataset<Row> covered =
        sub.join(org.apache.spark.sql.functions.broadcast(headings), toSeq(parentKey), "left_semi")
            .distinct();
    for (String k : FLOW) {
      covered = covered.withColumnRenamed(k, "__p_" + k);
    }
    Column on = col("commodity_code").equalTo(col("__heading"));
    for (String k : FLOW) {
      on = on.and(col(k).eqNullSafe(col("__p_" + k)));
    }
    return trade.join(org.apache.spark.sql.functions.broadcast(covered), on, "left_anti");
  }

  private static List<Column> flowCols(String headingExpr) {
    List<Column> out = new ArrayList<>();
    for (String k : FLOW) {
      out.add(col(k));
    }
    out.add(org.apache.spark.sql.functions.expr(headingExpr).as("__heading"));
    return out;
  }

  /**
   * The monthly and annual flows on their balance basis ({@link #withBalanceQuantity}) with the
   * annual rows {@link #withAnnual} adds: what the annual trade aggregates start from.
   */
  static Dataset<Row> annual(Dataset<Row> balanceFlows) {
    return withAnnual(balanceFlows.filter(col("freq").isin("M", "A")));
  }

  /**
   * Annual flows: reported annual figures, else the sum of the months reported for the year ({@code
   * months_covered} says how many). Adds freq A rows beside the monthly rows already there.
   */
  static Dataset<Row> withAnnual(Dataset<Row> flows) {
    List<String> line =
        List.of(
            "source",
            "reporter_iso3",
            "partner_iso3",
            "partner_kind",
            "flow",
            "commodity_code",
            "metal",
            "stage",
            "bal_basis",
            "year");
    Dataset<Row> reported = flows.filter(col("freq").equalTo("A"));
    Dataset<Row> fromMonths =
        flows
            .filter(col("freq").equalTo("M"))
            .groupBy(line.stream().map(c -> col(c)).toArray(Column[]::new))
            .agg(
                sum("bal_t").as("bal_t"),
                sum("value_usd").as("value_usd"),
                max(col("weight_missing").cast("int")).cast("boolean").as("weight_missing"),
                countDistinct(col("month")).as("months_covered"));
    List<String> join =
        List.of("source", "reporter_iso3", "partner_iso3", "flow", "commodity_code", "year");
    Dataset<Row> missingAnnual =
        fromMonths.join(reported.select(toCols(join)).distinct(), toSeq(join), "left_anti");
    List<Column> out = new ArrayList<>();
    for (String c : line) {
      out.add(col(c));
    }
    out.add(lit("A").as("freq"));
    out.add(lit(null).cast("int").as("month"));
    out.add(col("year").cast("string").as("period"));
    out.add(col("bal_t"));
    out.add(col("value_usd"));
    out.add(col("weight_missing"));
    List<Column> rep = new ArrayList<>(out);
    rep.add(lit(12L).as("months_covered"));
    out.add(col("months_covered").cast("long").as("months_covered"));
    Dataset<Row> annual =
        reported
            .select(rep.toArray(new Column[0]))
            .unionByName(missingAnnual.select(out.toArray(new Column[0])));
    List<Column> monthly = new ArrayList<>(out.subList(0, line.size()));
    monthly.add(col("freq"));
    monthly.add(col("month"));
    monthly.add(col("period"));
    monthly.add(col("bal_t"));
    monthly.add(col("value_usd"));
    monthly.add(col("weight_missing"));
    monthly.add(lit(1L).as("months_covered"));
    return flows
        .filter(col("freq").equalTo("M"))
        .select(monthly.toArray(new Column[0]))
        .unionByName(annual);
  }

  /**
   * Per reporter, flow, metal, stage, basis and period: the World total where the source gives one,
   * else the sum over partners; and how many flows lacked a weight.
   */
  static Dataset<Row> byFlow(Dataset<Row> flows, List<String> keys) {
    Column world = col("partner_kind").equalTo("world");
    List<String> perCode = new ArrayList<>(keys);
    perCode.add("commodity_code");
    Dataset<Row> codes =
        flows
            .groupBy(toCols(perCode))
            .agg(
                sum(when(world, col("bal_t"))).as("__world_t"),
                sum(when(world.unary_$bang(), col("bal_t"))).as("__partners_t"),
                max(when(world, 1).otherwise(0)).as("__has_world"),
                sum(when(world, col("value_usd"))).as("__world_usd"),
                sum(when(world.unary_$bang(), col("value_usd"))).as("__partners_usd"),
                count(when(col("weight_missing"), 1)).as("__missing"),
                max(col("months_covered")).as("__months"));
    Column hasWorld = col("__has_world").equalTo(1);
    return codes
        .groupBy(toCols(keys))
        .agg(
            sum(when(hasWorld, col("__world_t")).otherwise(col("__partners_t"))).as("value_t"),
            sum(when(hasWorld, col("__world_usd")).otherwise(col("__partners_usd")))
                .as("value_usd"),
            sum("__missing").as("missing_weight_flows"),
            max("__months").as("months_covered"));
  }

  static Column[] toCols(List<String> names) {
    return names.stream().map(c -> col(c)).toArray(Column[]::new);
  }

  static scala.collection.immutable.Seq<String> toSeq(List<String> names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(names).toSeq();
  }

  static Column nvl0(Column c) {
    return coalesce(c, lit(0.0));
  }
}
